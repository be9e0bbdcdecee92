package io.recsys.model;

import java.util.List;

/**
 * One model version as a serving instance holds it: states to step and score, and the lineage its
 * weights belong to (versions made from one snapshot by deltas share a lineage), so that {@link
 * CarriedStates} knows when its states were computed with other weights.
 */
public interface ServedModel extends StateStepper {
  /** The lineage of these weights; a new snapshot starts a new one. */
  long lineage();

  /** See {@link NextItemModel#recommend(List, List, int)}. */
  List<List<RecommendedItem>> recommendFrom(
      List<SequenceState> states, List<List<String>> excluded, int k);

  /** See {@link NextItemModel#recommendExhaustively}. */
  List<List<RecommendedItem>> recommendExhaustivelyFrom(
      List<SequenceState> states, List<List<String>> excluded, int k);
}
