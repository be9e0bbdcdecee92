package io.recsys.model.bench;

import io.recsys.model.NextItemModel;
import io.recsys.model.VocabularyConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a serving instance holds while it takes the next snapshot of a large model. First {@code
 * --write FILE [--items N] [--train-seconds S]} writes a serving snapshot of a streaming-shaped
 * model of N rows trained for S seconds on a long-tailed stream (trained rows do not compress as
 * the initial ones do). Then {@code --snapshot FILE --mode beside|in-place [--ballast-mb B]} loads
 * it as the served model, reads it again as the next snapshot in 1 MB chunks as {@code
 * model-updates} delivers it, allocates B MB more (standing in for the index, about 700 B per
 * item), and takes the snapshot: {@code beside} loads it as a new model while the served one is
 * still referenced (a swap), {@code in-place} copies it into the served model ({@link
 * NextItemModel#reload}). Run the second step under several {@code -Xmx} to find the smallest heap
 * each way needs ({@code bin/bench-snapshot-load}). Prints one line: {@code ok} with the load's
 * time and the heap after a collection before and after it, or {@code out of memory}.
 */
public final class SnapshotLoadBenchmark {
  private static final int CHUNK = 1 << 20;

  private SnapshotLoadBenchmark() {}

  public static void main(String[] args) throws IOException {
    int items = 1_000_000;
    double trainSeconds = 20;
    Path write = null;
    Path snapshot = null;
    String mode = "in-place";
    int ballastMb = 0;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--items" -> items = Integer.parseInt(args[++i]);
        case "--train-seconds" -> trainSeconds = Double.parseDouble(args[++i]);
        case "--write" -> write = Path.of(args[++i]);
        case "--snapshot" -> snapshot = Path.of(args[++i]);
        case "--mode" -> mode = args[++i];
        case "--ballast-mb" -> ballastMb = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (write != null) {
      write(write, items, trainSeconds);
      return;
    }
    if (snapshot == null) {
      throw new IllegalArgumentException("give --write FILE or --snapshot FILE");
    }
    try {
      NextItemModel served = NextItemModel.load(snapshot);
      List<byte[]> chunks = chunks(snapshot);
      List<byte[]> ballast = new ArrayList<>();
      for (long b = 0; b < (long) ballastMb * 4; b++) {
        ballast.add(new byte[256 * 1024]);
      }
      long steady = usedAfterGc();
      long start = System.nanoTime();
      NextItemModel next;
      if (mode.equals("beside")) {
        next = NextItemModel.load(open(chunks), "next");
      } else if (mode.equals("in-place")) {
        if (!served.reload(() -> open(chunks), "next")) {
          throw new IllegalStateException("the snapshot did not fit the served model");
        }
        next = served;
      } else {
        throw new IllegalArgumentException("unknown mode " + mode);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "ok: %s, %d items, snapshot %d MB, load %.1f s, heap after GC before %d MB, after %d MB"
              + " (served and next model, snapshot and %d MB of ballast still referenced: %s)%n",
          mode,
          served.vocabulary().size(),
          chunks.stream().mapToLong(c -> c.length).sum() >> 20,
          seconds,
          steady >> 20,
          usedAfterGc() >> 20,
          ballast.size() / 4,
          served.vocabulary().size() == next.vocabulary().size());
    } catch (OutOfMemoryError e) {
      System.out.printf("out of memory: %s%n", mode);
    }
  }

  private static void write(Path file, int items, double trainSeconds) throws IOException {
    NextItemModel trainer =
        NextItemModel.create(
            CatalogueScaleBenchmark.streamingConfig(), new VocabularyConfig(items, items, 1, 0));
    for (int i = 0; i < items; i++) {
      trainer.admit(LongTailBehaviour.item(i), 1);
    }
    LongTailBehaviour behaviour = new LongTailBehaviour(items, 7);
    long end = System.nanoTime() + (long) (trainSeconds * 1e9);
    while (System.nanoTime() < end) {
      trainer.train(behaviour.examples(256));
    }
    trainer.saveForServing(file);
    System.out.printf(
        "wrote %s: %d items, trained %.0f s, %d MB%n",
        file, items, trainSeconds, Files.size(file) >> 20);
  }

  private static List<byte[]> chunks(Path file) throws IOException {
    List<byte[]> chunks = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] chunk;
      while ((chunk = in.readNBytes(CHUNK)).length > 0) {
        chunks.add(chunk);
      }
    }
    return chunks;
  }

  private static InputStream open(List<byte[]> chunks) {
    return new SequenceInputStream(
        Collections.enumeration(chunks.stream().map(ByteArrayInputStream::new).toList()));
  }

  private static long usedAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
