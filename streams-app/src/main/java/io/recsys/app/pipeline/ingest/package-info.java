/**
 * The first processor: parses and validates every input record, sends rejects to the dead-letter
 * topic with the reason. Imported only by {@code pipeline}.
 */
package io.recsys.app.pipeline.ingest;
