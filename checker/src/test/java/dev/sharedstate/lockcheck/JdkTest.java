package dev.sharedstate.lockcheck;
import static org.junit.jupiter.api.Assertions.*;
import org.junit.jupiter.api.Test;
class JdkTest { @Test void runsOn21Plus() { assertTrue(Runtime.version().feature() >= 21, Runtime.version().toString()); } }
