// WRONG: DEL removes the key instead of leaving a tombstone: a load in flight brings it back
// CAUGHT BY: writeDuringLoadWins (forced schedule)
package dev.sharedstate.exercises.ex07;

import dev.sharedstate.kv.Entry;
import dev.sharedstate.kv.KvServer;
import dev.sharedstate.kv.ServerConfig;
import dev.sharedstate.kv.Store;
import dev.sharedstate.kv.StoreException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

public final class LoadOnceStore implements Store {
  private static final Entry DELETED = Entry.of(new byte[0]);

  private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CompletableFuture<Entry>> loading = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Entry>> registry = new HashMap<>();
  private final Source source;

  @FunctionalInterface
  public interface Source {
    Entry load(String key) throws Exception;
  }

  public LoadOnceStore(Source source) {
    this.source = source;
  }

  public static KvServer start(ServerConfig config, Source source) throws IOException {
    return KvServer.start(config, new LoadOnceStore(source));
  }

  public static KvServer start(ServerConfig config) throws IOException {
    return start(config, key -> null);
  }

  private static Entry visible(Entry e) {
    return e == DELETED ? null : e;
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

  private Entry store(String key, Entry loaded) {
    if (loaded == null) return visible(cache.get(key));
    return visible(cache.merge(key, loaded, (written, fromSource) -> written));
  }

  private static Entry await(String key, CompletableFuture<Entry> inFlight) {
    try {
      return inFlight.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof StoreException s) throw new StoreException(s.getMessage(), s);
      throw new StoreException("loading " + key + " failed: " + e.getCause(), e.getCause());
    }
  }

  @Override
  public Entry get(String key) {
    Entry e = cache.get(key);
    if (e != null) return visible(e);
    var mine = new CompletableFuture<Entry>();
    CompletableFuture<Entry> inFlight = loading.putIfAbsent(key, mine);
    if (inFlight != null) return await(key, inFlight);
    try {
      Entry cached = cache.get(key);
      Entry result = cached != null ? visible(cached) : store(key, load(key));
      mine.complete(result);
      return result;
    } catch (RuntimeException ex) {
      mine.completeExceptionally(ex);
      throw ex;
    } finally {
      loading.remove(key, mine);
    }
  }
  @Override
  public Entry update(String key, UnaryOperator<Entry> change) {
    return cache.compute(key, (k, old) -> change.apply(visible(old)));
  }

}
