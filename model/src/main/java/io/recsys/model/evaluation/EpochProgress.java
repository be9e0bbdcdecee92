package io.recsys.model.evaluation;

/** Reported after each training epoch of an evaluation run. */
public record EpochProgress(
    int epoch, double trainLoss, double validationNdcg10, double elapsedSeconds, boolean best) {}
