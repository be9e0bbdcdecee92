/**
 * Every {@code recsys.*} setting, defined once ({@code RecsysConfig}) and parsed into immutable
 * groups per component ({@code RecsysSettings}). Imports only the model's hyperparameter table and
 * the event parser it configures; imported by every other package of the application.
 */
package io.recsys.app.config;
