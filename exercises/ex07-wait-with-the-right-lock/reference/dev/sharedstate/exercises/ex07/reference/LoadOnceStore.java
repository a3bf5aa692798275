package dev.sharedstate.exercises.ex07.reference;

import dev.sharedstate.exercises.ex07.LoadOnceStore.Source;
import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.Store;
import dev.sharedstate.kv.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Reference for exercise 7: a {@link CompletableFuture} per key being loaded is the lock made for
 * waiting. The first client to miss a key registers one ({@code putIfAbsent}, a short atomic step) and
 * loads outside any lock; the others find it and wait on it alone, so nobody else is held up. The
 * future is forgotten as the load ends, before it is completed, so a failed load is retried by the next
 * request, even one made by a waiter the instant it saw the failure.
 */
public final class LoadOnceStore implements Store {
  /** A deleted key's tombstone (compared with ==): not loaded again, and a load in flight cannot undo it. */
  private static final Entry DELETED = Entry.of(new byte[0]);

  private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CompletableFuture<Entry>> loading = new ConcurrentHashMap<>();
  private final Source source;

  public LoadOnceStore(Source source) {
    this.source = source;
  }

  public static KvServer start(ServerConfig config, Source source) throws IOException {
    return KvServer.start(config, new LoadOnceStore(source));
  }

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
    if (inFlight != null) return await(key, inFlight); // someone is loading it: wait for that load
    try {
      // A load that finished between our cache miss and putIfAbsent has stored its value by now.
      Entry cached = cache.get(key);
      Entry result = cached != null ? visible(cached) : store(key, load(key));
      loading.remove(key, mine); // the value is in the cache now: a newcomer finds it there
      mine.complete(result);
      return result;
    } catch (RuntimeException | Error ex) {
      // Forget the failed load before anyone sees it fail (as chapter 6's price cache does): whoever gets
      // the failure and asks again starts a new load, instead of finding this future and its old failure.
      loading.remove(key, mine);
      mine.completeExceptionally(ex); // the waiters see the failure too
      throw ex;
    }
  }

  private Entry store(String key, Entry loaded) {
    if (loaded == null) return visible(cache.get(key)); // not in the source (a write made meanwhile counts)
    return visible(cache.merge(key, loaded, (written, fromSource) -> written)); // a write made meanwhile wins
  }

  private static Entry visible(Entry e) {
    return e == DELETED ? null : e;
  }

  private static Entry await(String key, CompletableFuture<Entry> inFlight) {
    try {
      return inFlight.join(); // no lock held: this blocks only this client's thread
    } catch (CompletionException e) {
      if (e.getCause() instanceof StoreException s) throw new StoreException(s.getMessage(), s);
      throw new StoreException("loading " + key + " failed: " + e.getCause(), e.getCause());
    }
  }

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
    return visible(cache.compute(key, (k, old) -> {
      Entry next = change.apply(visible(old));
      return next == null ? DELETED : next;
    }));
  }
}
