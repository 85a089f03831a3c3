// The standard callbacks, with Keras's semantics: one header includes them all.
//
//   EarlyStopping({.monitor = "val_loss", .patience = 10, .restore_best_weights = true})
//   ModelCheckpoint({.filepath = "best.plexus", .save_best_only = true})
//   ReduceLROnPlateau({.factor = 0.1, .patience = 10})
//   TerminateOnNaN(), CSVLogger("history.csv"), LambdaCallback({.on_epoch_end = ...})
// "mode" is "min", "max" or "auto" (max for names containing accuracy/precision/recall/f1/r2).
// Each lives in its own file pair; this header is the umbrella.
#pragma once

#include "plexus/callbacks/csv_logger.hpp"
#include "plexus/callbacks/early_stopping.hpp"
#include "plexus/callbacks/lambda_callback.hpp"
#include "plexus/callbacks/model_checkpoint.hpp"
#include "plexus/callbacks/monitor.hpp"
#include "plexus/callbacks/reduce_lr_on_plateau.hpp"
#include "plexus/callbacks/terminate_on_nan.hpp"
