/**
 * @gradlab/export: a gradlab run record in other tools' formats. A package of its own so that
 * the CLI, the tfjs-layers callback and your scripts share one writer, and so that a user of
 * the callback who wants no TensorBoard pulls in no protobuf.
 */
export { layerRowsCsv } from './csv.js';
export { decodeEvent, encodeEvent, FILE_VERSION, type TensorBoardEvent } from './event-proto.js';
export { EXPORT_FORMATS, type ExportFormat, type ExportResult, exportRun } from './export-run.js';
export { layerRowsJsonl } from './jsonl.js';
export { LAYER_COLUMNS, type LayerColumn, type LayerRow, layerRows } from './layer-rows.js';
export { type Scalar, stepScalars } from './step-scalars.js';
export { eventFileName, openTensorBoardWriter, type TensorBoardWriter } from './tensorboard.js';
export { frameRecord, maskedCrc32c, readRecords } from './tfrecord.js';
