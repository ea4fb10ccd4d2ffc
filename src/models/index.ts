// Models: Sequential, its training loop, callbacks and progress output.
export { Sequential, sequential } from './sequential';
export type { SequentialArgs } from './sequential';
export { LayersModel, model } from './functional';
export type { ModelArgs, ModelData } from './functional';
export type { FunctionalCompileArgs } from './functional_training';
export { History, EarlyStopping, callbacks } from './callbacks';
export { TerminateOnNaN } from './terminate_on_nan';
export type { Callback, Logs, EarlyStoppingArgs, TrainingParams } from './callbacks';
export type { FitArgs } from './fit';
export type { CompileArgs } from './training';
export { ProgressBar } from './progress';
export type { ProgressStream, ProgressOptions } from './progress';
