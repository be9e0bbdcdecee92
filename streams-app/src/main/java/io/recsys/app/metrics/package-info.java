/**
 * Meters of the pipeline, the trainer, the served model and the process, and the publisher of the
 * {@code metrics} topic (which reads the instance through {@code MeasuredInstance}). Imports {@code
 * prequential}, {@code modelsync}, {@code kafka} and {@code config}; imported by the pipeline, the
 * trainer and the wiring.
 */
package io.recsys.app.metrics;
