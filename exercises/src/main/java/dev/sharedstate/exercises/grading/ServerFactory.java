package dev.sharedstate.exercises.grading;

import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.Store;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import java.util.function.Supplier;

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
    return newInstance(as, new Object[0]);
  }

  /**
   * A new instance of the graded class through its public constructor taking {@code args} (a test's
   * change log, backend, shard count...). What the constructor throws is rethrown as it is.
   */
  default <T> T newInstance(Class<T> as, Object... args) {
    for (Constructor<?> c : targetClass().getConstructors()) {
      Class<?>[] types = c.getParameterTypes();
      if (types.length != args.length) continue;
      boolean fits = true;
      for (int i = 0; i < types.length; i++) {
        Class<?> t = types[i].isPrimitive() ? boxed(types[i]) : types[i];
        if (args[i] != null && !t.isInstance(args[i])) fits = false;
      }
      if (!fits) continue;
      try {
        return as.cast(c.newInstance(args));
      } catch (InvocationTargetException e) {
        if (e.getCause() instanceof RuntimeException r) throw r;
        if (e.getCause() instanceof Error err) throw err;
        throw new IllegalStateException(e.getCause());
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    String wanted = Arrays.stream(args).map(a -> a == null ? "?" : a.getClass().getInterfaces().length > 0
        ? a.getClass().getInterfaces()[0].getSimpleName() : a.getClass().getSimpleName()).toList().toString();
    throw new IllegalStateException(targetClass().getName() + " must keep its public constructor taking "
        + wanted.substring(1, wanted.length() - 1) + ": the tests create the store through it");
  }

  private static Class<?> boxed(Class<?> primitive) {
    if (primitive == int.class) return Integer.class;
    if (primitive == long.class) return Long.class;
    if (primitive == boolean.class) return Boolean.class;
    return primitive;
  }

  /**
   * Where {@code server} gets each new connection's store (the supplier given to {@code KvServer.start}),
   * read reflectively: exercise 1's store is created inside the learner's {@code start}.
   */
  @SuppressWarnings("unchecked")
  default Supplier<? extends Store> storesOf(KvServer server) {
    for (Field f : KvServer.class.getDeclaredFields()) {
      if (f.getType() == Supplier.class) {
        try {
          f.setAccessible(true);
          return (Supplier<? extends Store>) f.get(server);
        } catch (ReflectiveOperationException | RuntimeException e) {
          throw new IllegalStateException("grading cannot reach the server's store supplier: " + e, e);
        }
      }
    }
    throw new IllegalStateException("grading cannot find KvServer's store supplier (KvServer changed?)");
  }
}
