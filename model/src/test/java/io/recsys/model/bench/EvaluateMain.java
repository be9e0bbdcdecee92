package io.recsys.model.bench;

import io.recsys.model.BackendInfo;
import io.recsys.model.LossType;
import io.recsys.model.ModelConfig;
import io.recsys.model.data.MovieLensReader;
import io.recsys.model.evaluation.EvaluationResult;
import io.recsys.model.evaluation.EvaluationSettings;
import io.recsys.model.evaluation.LeaveOneOutEvaluation;
import java.nio.file.Path;

/**
 * Leave-one-out run from the model module alone, for tuning. Arguments: DIR [epochs] [emb] [hidden]
 * [seqLen] [dropout] [lr] [lanes] [loss] [patience] [window] [FULL_SEQUENCE|INCREMENTAL]
 * [plateauDecay].
 */
public final class EvaluateMain {
  private EvaluateMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    ModelConfig d = ModelConfig.defaults();
    ModelConfig c =
        new ModelConfig(
            args.length > 2 ? Integer.parseInt(args[2]) : d.embeddingSize(),
            args.length > 3 ? Integer.parseInt(args[3]) : d.hiddenSize(),
            args.length > 4 ? Integer.parseInt(args[4]) : d.sequenceLength(),
            d.backpropSteps(),
            args.length > 5 ? Double.parseDouble(args[5]) : d.dropout(),
            args.length > 6 ? Double.parseDouble(args[6]) : d.learningRate(),
            d.outputLearningRateScale(),
            d.l2(),
            args.length > 8 ? LossType.valueOf(args[8]) : d.loss(),
            d.negatives(),
            d.samplingExponent(),
            d.maxBatchSize(),
            d.seed());
    int lanes = args.length > 7 ? Integer.parseInt(args[7]) : 64;
    int patience = args.length > 9 ? Integer.parseInt(args[9]) : 3;
    int window = args.length > 10 ? Integer.parseInt(args[10]) : 20;
    io.recsys.model.evaluation.TrainingMode mode =
        args.length > 11
            ? io.recsys.model.evaluation.TrainingMode.valueOf(args[11])
            : io.recsys.model.evaluation.TrainingMode.FULL_SEQUENCE;
    double decay = args.length > 12 ? Double.parseDouble(args[12]) : 1.0;
    System.out.println("backend: " + BackendInfo.describe());
    System.out.println(
        "config: "
            + c
            + " lanes="
            + lanes
            + " window="
            + window
            + " mode="
            + mode
            + " plateauDecay="
            + decay);
    EvaluationResult r =
        LeaveOneOutEvaluation.run(
            MovieLensReader.read(dir),
            new EvaluationSettings(c, epochs, patience, lanes, window, mode, decay),
            p ->
                System.out.printf(
                    "epoch %d loss %.4f valNDCG@10 %.4f elapsed %.1fs%s%n",
                    p.epoch(),
                    p.trainLoss(),
                    p.validationNdcg10(),
                    p.elapsedSeconds(),
                    p.best() ? " *" : ""));
    System.out.println(r);
  }
}
