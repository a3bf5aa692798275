package dev.sharedstate.learn.chapters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/** Lists {@code NN-name.md} files of a chapters folder (a new chapter is a new file; no registry). */
public final class DirectoryChapterSource implements ChapterSource {
  private static final Pattern NAME = Pattern.compile("(\\d{2})-[a-z0-9-]+\\.md");
  private final Path dir;

  public DirectoryChapterSource(Path dir) {
    this.dir = dir;
  }

  @Override
  public List<Chapter> chapters() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (var files = Files.list(dir)) {
      return files
          .filter(p -> NAME.matcher(p.getFileName().toString()).matches())
          .map(p -> new Chapter(
              Integer.parseInt(p.getFileName().toString().substring(0, 2)), p.getFileName().toString(), p))
          .sorted(Comparator.comparingInt(Chapter::number))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String markdown(Chapter chapter) throws IOException {
    return Files.readString(chapter.file());
  }
}
