package lockcheck.training;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The file ./lockcheck checks once, after each build on JDK 25 or newer, to record its ahead-of-time
 * cache (JEP 483/514/515): the classes and method profiles of a typical run. Not part of any build.
 */
class Training {
  private final Object monitor = new Object();
  private final ReentrantLock lock = new ReentrantLock();
  private final List<CompletableFuture<String>> pending = List.of();

  synchronized void stop(Thread worker) throws InterruptedException {
    worker.join();
  }

  void drain() {
    lock.lock();
    try {
      pending.forEach(f -> f.join());
    } finally {
      lock.unlock();
    }
  }

  String first() throws Exception {
    synchronized (monitor) {
      var f = pending.get(0);
      return f.get();
    }
  }

  void fine() {
    Thread.onSpinWait();
  }
}
