/**
 * Reading interaction datasets from files (MovieLens). Imported by offline evaluation and by the
 * command line's data loaders.
 */
package io.recsys.model.data;
