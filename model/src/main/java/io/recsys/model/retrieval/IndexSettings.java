package io.recsys.model.retrieval;

/**
 * How the serving index is built and used.
 *
 * @param minItems items from which serving uses the index; below, it scores every item (exact, and
 *     cheap enough)
 * @param candidates items the index proposes per user for exact rescoring (plus the user's seen
 *     items, which are removed after); more raises recall at proportional cost
 * @param maxConnections HNSW graph degree (Lucene's {@code M}): higher raises recall and memory
 * @param beamWidth candidates considered while linking a new node: higher builds a better graph,
 *     slower
 * @param rebuildFraction refresh the graph in the background once this share of the indexed items
 *     has drifted or is new (each such item is scored exhaustively until then)
 * @param driftTolerance an item has drifted once its vector moved by more than this fraction of the
 *     largest indexed norm since the graph was built; below, the graph's neighbourhoods still hold
 *     and exact rescoring absorbs the change
 * @param seed seed of the graph's level assignment: a build is reproducible
 * @param leaders items with the highest output bias at the build (the model's prior) scored exactly
 *     for every user besides the graph's proposals, in the same matrix product as the unindexed
 *     items: they catch much of what the walk misses on a densely trained model, at the cost of
 *     that many inner products per user; 0 relies on the graph alone
 */
public record IndexSettings(
    int minItems,
    int candidates,
    int maxConnections,
    int beamWidth,
    double rebuildFraction,
    double driftTolerance,
    long seed,
    int leaders) {

  public IndexSettings {
    atLeast("minItems", minItems, 1);
    atLeast("candidates", candidates, 1);
    atLeast("maxConnections", maxConnections, 2);
    atLeast("beamWidth", beamWidth, 1);
    atLeast("leaders", leaders, 0);
    if (!(rebuildFraction > 0 && rebuildFraction <= 1)) {
      throw new IllegalArgumentException(
          "rebuildFraction must be in (0, 1], got " + rebuildFraction);
    }
    if (!(driftTolerance >= 0 && driftTolerance < 10)) {
      throw new IllegalArgumentException(
          "driftTolerance must be in [0, 10), got " + driftTolerance);
    }
  }

  /**
   * Defaults: index from 50,000 items, 50 candidates, M 16, beam 50, rebuild at 5% drifted, drift
   * tolerance 0.08, 1,000 leaders. On 2 AVX2 cores ({@code bin/bench-catalogue},
   * docs/BENCHMARKS.md) scoring every item cost 150-190 us per event at 10^4 items and 1.5 ms at
   * 10^5; the index with 100 candidates about 250 us and 530 us: they cross near 3 x 10^4 items,
   * and faster matrix products (AVX-512) move the crossing up, hence 50,000. Beam 50 rather than
   * Lucene's 100: the graph of 10^6 items took 581 s to build on two threads at 100, and the build
   * is what a large instance waits for before its first indexed version. 1,000 leaders: on a
   * trained 10^4-item model they raised recall@10 with 100 candidates from 0.91 to 0.97 for 25-55
   * us per event (Intel Xeon, AVX-512). Candidates and drift were set together on the live pipeline
   * ({@code bin/recsys demo}, 10^5 and 10^6 items, Intel Xeon, AVX-512), where the model trains
   * under the graph: with 100 candidates and a tolerance of 0.25 of the largest norm, the sampled
   * live recall was 0.83 (the links aged between builds, a graph every 35-60 s) and the walk half
   * of the stream thread's time; 50 candidates and 0.08 gave recall 0.93, model HR@10 -5% against
   * every item scored and 5-13% less CPU per event at 10^6 (two runs); 0.05 the same recall and HR
   * for more CPU (six graphs in a run rather than four), and at 10^5 items 0.04 gave recall 0.99
   * and HR -3.7% (100 / 0.25 had lost 10%). The share of drifted items is bounded by the rebuild
   * cadence (at most one graph per 30 s and per ten build times): they are scored exactly until
   * then. Measured since on the same events (the pipeline's index check, docs/BENCHMARKS.md, AMD
   * EPYC, AVX-512) the cost is larger than the unpaired runs said: 0.08 lost 6% of the model's
   * HR@10 at 10^5 items and 11% at 10^6; 0.02 lost 2.3% and 3.6%, for 23% more CPU per event at
   * 10^6 (every item nearly scored exactly); more candidates or a denser graph did not help.
   */
  public static IndexSettings defaults() {
    return new IndexSettings(50_000, 50, 16, 50, 0.05, 0.08, 42L, 1_000);
  }

  /** These settings with index from {@code items} items. */
  public IndexSettings withMinItems(int items) {
    return new IndexSettings(
        items,
        candidates,
        maxConnections,
        beamWidth,
        rebuildFraction,
        driftTolerance,
        seed,
        leaders);
  }

  /** These settings with {@code n} candidates per user. */
  public IndexSettings withCandidates(int n) {
    return new IndexSettings(
        minItems, n, maxConnections, beamWidth, rebuildFraction, driftTolerance, seed, leaders);
  }

  /** These settings with a graph of degree {@code m}. */
  public IndexSettings withMaxConnections(int m) {
    return new IndexSettings(
        minItems, candidates, m, beamWidth, rebuildFraction, driftTolerance, seed, leaders);
  }

  /** These settings with a linking beam of {@code width}. */
  public IndexSettings withBeamWidth(int width) {
    return new IndexSettings(
        minItems,
        candidates,
        maxConnections,
        width,
        rebuildFraction,
        driftTolerance,
        seed,
        leaders);
  }

  /** These settings with {@code n} leaders. */
  public IndexSettings withLeaders(int n) {
    return new IndexSettings(
        minItems, candidates, maxConnections, beamWidth, rebuildFraction, driftTolerance, seed, n);
  }

  private static void atLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", got " + value);
    }
  }
}
