package dev.sharedstate.exercises.grading;

import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import java.io.IOException;

/**
 * Starts the server of the exercise being graded: the learner's code or the reference solution,
 * whichever {@code exercises.target} names. Resolved by {@link Grader} as a test method parameter.
 */
public interface ServerFactory {
  /** Calls the target's {@code public static KvServer start(ServerConfig)}. */
  default KvServer start(ServerConfig config) throws IOException {
    return start(config, new Object[0]);
  }

  /**
   * Calls the target's {@code public static KvServer start(ServerConfig, ...)} taking {@code more.length}
   * further arguments (a test's fake backend, say).
   */
  KvServer start(ServerConfig config, Object... more) throws IOException;
}
