/**
 * The network itself (LSTM, parameter tables, optimiser, batching). Imported only by {@code
 * io.recsys.model} and its subpackages; its types never appear in the model's public API.
 */
package io.recsys.model.internal;
