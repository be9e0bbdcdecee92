package io.recsys.app.training;

import io.recsys.model.ModelConfig;
import io.recsys.model.NextItemModel;
import io.recsys.model.VocabularyConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The trainer's checkpoint: one file in the trainer's directory holding the model together with the
 * position ({@link TrainerPosition}) it has trained through. Written by an atomic rename, so a
 * crash leaves either the old or the new checkpoint, never half of one.
 */
final class Checkpointer {
  static final String CHECKPOINT_FILE = "checkpoint.zip";

  private final Path dir;

  /** Creates {@code dir} if it does not exist. */
  Checkpointer(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
  }

  Path dir() {
    return dir;
  }

  boolean exists() {
    return Files.exists(dir.resolve(CHECKPOINT_FILE));
  }

  /** The checkpointed model, or a new one with {@code config} where there is no checkpoint. */
  NextItemModel loadOrCreate(ModelConfig config) throws IOException {
    return exists()
        ? NextItemModel.load(dir.resolve(CHECKPOINT_FILE))
        : NextItemModel.create(config, VocabularyConfig.defaults());
  }

  /** Replaces the checkpoint with {@code model} (its data position set by the caller). */
  void save(NextItemModel model) throws IOException {
    Path temporary = dir.resolve(CHECKPOINT_FILE + ".tmp");
    model.save(temporary);
    Files.move(
        temporary,
        dir.resolve(CHECKPOINT_FILE),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }
}
