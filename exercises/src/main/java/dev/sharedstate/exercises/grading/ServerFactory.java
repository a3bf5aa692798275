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

  /** The class being graded: the learner's starter class, or its reference solution. */
  Class<?> targetClass();

  /**
   * A new instance of the graded class through its public no-argument constructor, for a test that drives
   * a {@code Store} directly to force one exact interleaving (a race a load test only catches by luck).
   */
  default <T> T newInstance(Class<T> as) {
    try {
      return as.cast(targetClass().getConstructor().newInstance());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(targetClass().getName() + " must keep its public no-argument constructor: the tests create it", e);
    }
  }
}
