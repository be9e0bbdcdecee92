package io.recsys.app.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.recsys.schemas.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The registry's append-only record of rollouts, {@code promotions.jsonl}: one JSON {@link
 * Promotion} per line, oldest first. Lines are never rewritten, so the file is also the audit trail
 * of what was live when.
 *
 * <p>What is live follows a stack: a promotion pushes its version, a rollback pops the live one and
 * makes the one below it live again. So {@code promote 2, promote 3, rollback} leaves 2 live, and a
 * second rollback returns to whatever was promoted before 2.
 */
public final class PromotionHistory {
  static final String FILE = "promotions.jsonl";
  private static final ObjectMapper JSON = Json.newMapper();

  private final Path file;

  public PromotionHistory(Path registryRoot) {
    this.file = registryRoot.resolve(FILE);
  }

  public Path file() {
    return file;
  }

  /** Every entry, oldest first; empty when nothing was ever promoted. */
  public List<Promotion> entries() throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    List<Promotion> entries = new ArrayList<>();
    int number = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      try {
        entries.add(JSON.readValue(line, Promotion.class));
      } catch (IOException e) {
        throw new IOException(
            file + " line " + number + " is not a promotion: " + e.getMessage(), e);
      }
    }
    return entries;
  }

  /** The registry version live now according to the history, if any was promoted. */
  public Optional<Integer> live() throws IOException {
    Deque<Integer> stack = stack();
    return Optional.ofNullable(stack.peek());
  }

  /** The version a rollback would make live: the one live before the current one. */
  public Optional<Integer> rollbackTarget() throws IOException {
    Deque<Integer> stack = stack();
    if (stack.size() < 2) {
      return Optional.empty();
    }
    var it = stack.iterator();
    it.next();
    return Optional.of(it.next());
  }

  /**
   * Appends one entry. The line is written in one call under a file lock, so entries of two
   * commands run at once never interleave.
   */
  public void append(Promotion promotion) throws IOException {
    Files.createDirectories(file.getParent());
    byte[] line = (JSON.writeValueAsString(promotion) + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileChannel channel =
            FileChannel.open(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        var lock = channel.lock()) {
      ByteBuffer buffer = ByteBuffer.wrap(line);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
  }

  /** Live version on top. */
  private Deque<Integer> stack() throws IOException {
    Deque<Integer> stack = new ArrayDeque<>();
    for (Promotion entry : entries()) {
      if (Promotion.PROMOTE.equals(entry.action())) {
        stack.push(entry.version());
      } else {
        if (!stack.isEmpty()) {
          stack.pop();
        }
        // The history says which version the rollback made live; trust it over the stack.
        if (stack.isEmpty() || stack.peek() != entry.version()) {
          stack.push(entry.version());
        }
      }
    }
    return stack;
  }
}
