// WRONG: the requester whose load failed passes the failure on to the waiters and forgets the future, but answers its own client with null (no such key) instead of the error
// CAUGHT BY: failedLoadReachesWaitersAndIsNotKept (forced schedule)
package dev.sharedstate.exercises.ex07;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletableFuture;
import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.Store;
import dev.sharedstate.kv.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Exercise 7: waiting, done with the right lock. On a miss, GET loads the key from a slow source (think:
 * a database 200 ms away). When 100 clients miss the same key at once, the source must be asked
 * <em>once</em>, and the other 99 must wait for that one load, while clients asking for other keys are
 * not held up at all. The starter never waits for anyone: every client that misses loads the key
 * itself. The obvious fix, loading while holding one store-wide lock, stalls every other key instead.
 */
public final class LoadOnceStore implements Store {
  /**
   * What the cache holds for a key a client deleted: a tombstone, so that the deleted key is not loaded
   * from the source again and a load in flight cannot bring it back. Compare with {@code ==}.
   */
  private static final Entry DELETED = Entry.of(new byte[0]);

  private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CompletableFuture<Entry>> loading = new ConcurrentHashMap<>();
  private final Source source;

  /** The slow place keys come from. */
  @FunctionalInterface
  public interface Source {
    /** The value stored for {@code key}, or null if there is none; may take a long time, or fail. */
    Entry load(String key) throws Exception;
  }

  public LoadOnceStore(Source source) {
    this.source = source;
  }

  /** Starts the server over {@code source}. Keep this signature: the tests call it. */
  public static KvServer start(ServerConfig config, Source source) throws IOException {
    return KvServer.start(config, new LoadOnceStore(source));
  }

  /** Starts the server over a source that knows every key (its value is "loaded:key") and takes 200 ms. */
  public static KvServer start(ServerConfig config) throws IOException {
    return start(config, key -> {
      Thread.sleep(200);
      return Entry.of(("loaded:" + key).getBytes(StandardCharsets.UTF_8));
    });
  }

  @Override
  public Entry get(String key) {
    Entry e = cache.get(key);
    if (e != null) return visible(e);
    var mine = new CompletableFuture<Entry>();
    CompletableFuture<Entry> inFlight = loading.putIfAbsent(key, mine);
    if (inFlight != null) {
      try {
        return inFlight.join();
      } catch (CompletionException failed) {
        throw new StoreException("loading " + key + " failed: " + failed.getCause(), failed.getCause());
      }
    }
    try {
      Entry cached = cache.get(key);
      Entry loaded = cached != null ? cached : load(key);
      Entry result = loaded == null ? visible(cache.get(key)) : visible(cache.merge(key, loaded, (written, fromSource) -> written));
      loading.remove(key, mine);
      mine.complete(result);
      return result;
    } catch (RuntimeException ex) {
      loading.remove(key, mine);
      mine.completeExceptionally(ex); // the waiters hear about it
      return null; // and this client gets no value
    }
  }

  /** The entry a client sees: none for a tombstone. */
  private static Entry visible(Entry e) {
    return e == DELETED ? null : e;
  }

  /** Asks the source, turning its failure into an error the client sees. */
  private Entry load(String key) {
    try {
      return source.load(key);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while loading " + key, e);
    } catch (Exception e) {
      throw new StoreException("loading " + key + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Entry update(String key, UnaryOperator<Entry> change) {
    // Writes act on what is in memory (they do not ask the source); a removal leaves a tombstone.
    return visible(cache.compute(key, (k, old) -> {
      Entry next = change.apply(visible(old));
      return next == null ? DELETED : next;
    }));
  }
}
