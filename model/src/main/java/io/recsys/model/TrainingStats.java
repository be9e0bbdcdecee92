package io.recsys.model;

/**
 * What one {@link IncrementalTrainer#train} call did.
 *
 * @param examples examples that produced a gradient
 * @param skipped examples without a usable input item or with a target not (yet) admitted
 * @param meanLoss weighted mean cross-entropy of the trained examples, before the update
 * @param updateCount updater steps since the model was created
 */
public record TrainingStats(int examples, int skipped, double meanLoss, long updateCount) {}
