import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;

/**
 * Opens N connections to a RESP server, sends one PING on each and reads its +PONG (so every
 * connection has been served once, as a real client's would), prints "ready", then holds them all
 * idle until its standard input closes. Used by idle-connections.sh: java IdleClients.java PORT N
 */
public class IdleClients {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int n = Integer.parseInt(args[1]);
    var sockets = new ArrayList<Socket>(n);
    byte[] ping = "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < n; i++) {
      var s = new Socket("127.0.0.1", port);
      s.setSoTimeout(30_000);
      s.getOutputStream().write(ping);
      sockets.add(s);
    }
    for (Socket s : sockets) {
      InputStream in = s.getInputStream();
      byte[] pong = in.readNBytes(7);
      if (!new String(pong, StandardCharsets.US_ASCII).equals("+PONG\r\n")) {
        throw new IllegalStateException("unexpected reply: " + new String(pong, StandardCharsets.US_ASCII));
      }
    }
    System.out.println("ready " + sockets.size());
    System.out.flush();
    System.in.read(); // hold until the script closes our stdin
    for (Socket s : sockets) s.close();
  }
}
