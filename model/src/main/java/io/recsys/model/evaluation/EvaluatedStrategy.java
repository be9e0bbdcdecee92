package io.recsys.model.evaluation;

/** The strategies the offline protocol compares, in the order of preference among equals. */
public enum EvaluatedStrategy {
  MODEL,
  COOCCURRENCE,
  POPULARITY,
  /** The rank fusion of the three others, each weighted by its validation figure. */
  BLEND
}
