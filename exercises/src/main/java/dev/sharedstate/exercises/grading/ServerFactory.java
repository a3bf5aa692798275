package dev.sharedstate.exercises.grading;

import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import java.io.IOException;

/** Starts the server of the exercise being graded: the learner's code or the reference solution. */
@FunctionalInterface
public interface ServerFactory {
  KvServer start(ServerConfig config) throws IOException;
}
