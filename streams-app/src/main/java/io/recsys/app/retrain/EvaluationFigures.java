package io.recsys.app.retrain;

import io.recsys.model.evaluation.EvaluationResult;
import io.recsys.model.evaluation.RankingSummary;
import io.recsys.model.evaluation.TimeSplitResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of an offline run as JSON-ready maps, one shape for {@code evaluate}'s summary,
 * {@code retrain}'s summary and the registry's evaluation report, so they compare key by key.
 */
public final class EvaluationFigures {
  private EvaluationFigures() {}

  public static Map<String, Object> time(TimeSplitResult r) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("protocol", "time-split");
    f.put("users", r.users());
    f.put("items", r.items());
    f.put("cutoffMs", r.cutoffMs());
    f.put("trainEvents", r.trainEvents());
    f.put("heldOutEvents", r.heldOutEvents());
    f.put("coldHeldOutEvents", r.coldHeldOut());
    f.put("model", metrics(r.model()));
    f.put("popularity", metrics(r.popularity()));
    training(
        f,
        r.bestValidationNdcg10(),
        r.bestEpoch(),
        r.bestEpochsAveraged(),
        r.epochsRun(),
        r.trainingSeconds(),
        r.examplesPerSecond());
    return f;
  }

  public static Map<String, Object> loo(EvaluationResult r) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("protocol", "loo-full-ranking");
    f.put("users", r.users());
    f.put("items", r.items());
    f.put("model", metrics(r.model()));
    f.put("popularity", metrics(r.popularity()));
    f.put("cooccurrence", metrics(r.cooccurrence()));
    f.put("cooccurrenceBackwardWeight", r.cooccurrenceBackwardWeight());
    f.put("blend", metrics(r.blend()));
    f.put("blendFusion", r.blendFusion());
    f.put("served", metrics(r.served()));
    f.put("servedByHistoryLength", r.servedByBucket());
    training(
        f,
        r.bestValidationNdcg10(),
        r.bestEpoch(),
        r.bestEpochsAveraged(),
        r.epochsRun(),
        r.trainingSeconds(),
        r.examplesPerSecond());
    return f;
  }

  /** How training went, the same keys for every protocol. */
  private static void training(
      Map<String, Object> f,
      double bestValidationNdcg10,
      int bestEpoch,
      int bestEpochsAveraged,
      int epochsRun,
      double trainingSeconds,
      double examplesPerSecond) {
    f.put("bestValidationNdcg10", bestValidationNdcg10);
    f.put("bestEpoch", bestEpoch);
    f.put("bestEpochsAveraged", bestEpochsAveraged);
    f.put("epochsRun", epochsRun);
    f.put("trainingSeconds", trainingSeconds);
    f.put("examplesPerSecond", examplesPerSecond);
  }

  public static Map<String, Object> metrics(RankingSummary s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("HR@10", s.hr10());
    m.put("NDCG@10", s.ndcg10());
    m.put("MRR@10", s.mrr10());
    m.put("HR@20", s.hr20());
    m.put("NDCG@20", s.ndcg20());
    return m;
  }
}
