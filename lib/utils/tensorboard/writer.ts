// torch.utils.tensorboard.SummaryWriter: logs scalars, histograms, images (with boxes), audio, text,
// PR curves, meshes, custom scalar layouts, hyperparameters, embeddings and the model's graph to
// TensorBoard event files that TensorBoard (and Python's tooling) read.
import * as os from 'os';
import * as path from 'path';
import { AssertionError, ValueError } from '../../errors';
import { parse } from '../../keywords';
import type { Rest } from '../../keywords';
import { Module } from '../../nn/module';
import { Tensor } from '../../tensor/tensor';
import { audio } from './audio';
import { BoxesLike, imageBoxes } from './boxes';
import { MetadataRow, writeEmbedding, writeProjectorConfig } from './embedding';
import { EventFileWriter, EventObject } from './event-file-writer';
import { modelGraph } from './graph';
import { TENSORFLOW_BINS } from './histogram';
import { HParamDict, hparams } from './hparams';
import { MeshConfig, MeshTensor, mesh } from './mesh';
import { encode } from './schema';
import { CustomScalarLayout, SummaryObject, customScalars, histogram, histogramRaw, image, prCurve, prCurveRaw, scalar, text } from './summary';
import { ValuesLike } from './values';

/** FileWriter: one event file in logDir; events carry a wall time and, when given, a step. */
export class FileWriter {
  readonly eventWriter: EventFileWriter;

  constructor(logDir: string, maxQueue = 10, flushSecs = 120, filenameSuffix = '') {
    this.eventWriter = new EventFileWriter(String(logDir), maxQueue, flushSecs, filenameSuffix);
  }

  getLogdir(): string {
    return this.eventWriter.getLogdir();
  }

  addEvent(event: EventObject, step: number | null = null, walltime: number | null = null): void {
    event.wall_time = walltime ?? Date.now() / 1000;
    if (step !== null && step !== undefined) event.step = Math.trunc(Number(step));
    this.eventWriter.addEvent(event);
  }

  addSummary(summary: SummaryObject, globalStep: number | null = null, walltime: number | null = null): void {
    this.addEvent({ summary }, globalStep, walltime);
  }

  /** The graph as one event, then its (empty) step stats as tagged run metadata 'step1'. */
  addGraph(graphDef: object, runMetadata: object, walltime: number | null = null): void {
    this.addEvent({ graph_def: encode('tensorboard.GraphDef', graphDef) }, null, walltime);
    this.addEvent({ tagged_run_metadata: { tag: 'step1', run_metadata: encode('tensorboard.RunMetadata', runMetadata) } }, null, walltime);
  }

  flush(): void {
    this.eventWriter.flush();
  }

  close(): void {
    this.eventWriter.close();
  }
}

export interface SummaryWriterOptions {
  /** default runs/<Mon DD_HH-MM-SS>_<hostname><comment> */
  logDir?: string | null;
  /** appended to the default logDir */
  comment?: string;
  /** marks the steps from here on as restarted: TensorBoard discards the older events at or after it */
  purgeStep?: number | null;
  /** events kept in memory before a write (default 10) */
  maxQueue?: number;
  /** seconds between writes of the queue (default 120) */
  flushSecs?: number;
  filenameSuffix?: string;
}
const WRITER_ARGS = ['logDir', 'comment', 'purgeStep', 'maxQueue', 'flushSecs', 'filenameSuffix'] as const;

interface StepOptions {
  globalStep?: number | null;
  walltime?: number | null;
}
interface ScalarOptions extends StepOptions {
  newStyle?: boolean;
  doublePrecision?: boolean;
}
interface HistogramOptions extends StepOptions {
  /** 'tensorflow' (default: 10% wider buckets from 1e-12 to 1e20, both signs), a bin count or the edges */
  bins?: 'tensorflow' | number | readonly number[];
  maxBins?: number | null;
}
interface HistogramRawOptions extends StepOptions {}
interface ImageOptions extends StepOptions {
  dataformats?: string;
}
interface ImageWithBoxesOptions extends ImageOptions {
  /** the PNG is resized by it with PIL's Lanczos filter; the message keeps the size before (default 1) */
  rescale?: number;
  /** one per box; PyTorch draws them in PIL's default font, which is not here: only null (or empty strings) */
  labels?: string | readonly string[] | null;
}
interface MeshOptions extends StepOptions {
  /** [B, N, 3] RGB per vertex */
  colors?: MeshTensor | null;
  /** [B, F, 3] vertex indices of each triangle */
  faces?: MeshTensor | null;
  /** ThreeJS classes and their settings: camera, lights, material */
  configDict?: MeshConfig | null;
}
interface AudioOptions extends StepOptions {
  /** default 44100 */
  sampleRate?: number;
}
interface PrCurveOptions extends StepOptions {
  numThresholds?: number;
  weights?: ValuesLike | null;
}
interface EmbeddingOptions {
  /** one label per point, or rows of columns named by metadataHeader */
  metadata?: readonly (MetadataRow | readonly MetadataRow[])[] | null;
  /** NCHW thumbnails, one per point */
  labelImg?: ValuesLike | null;
  globalStep?: number | null;
  tag?: string;
  metadataHeader?: readonly string[] | null;
}
interface GraphOptions {
  /** prints the traced graph (TorchScript IR) */
  verbose?: boolean;
  useStrictTrace?: boolean;
}
interface HParamsOptions {
  hparamDomainDiscrete?: Record<string, unknown[]> | null;
  runName?: string | null;
}

// Python's datetime.now().strftime('%b%d_%H-%M-%S')
function timestamp(d = new Date()): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${months[d.getMonth()]}${p(d.getDate())}_${p(d.getHours())}-${p(d.getMinutes())}-${p(d.getSeconds())}`;
}

/**
 * SummaryWriter(log_dir=None, comment='', purge_step=None, max_queue=10, flush_secs=120,
 * filename_suffix=''). Methods take Python's positional order or an options object:
 * `writer.addScalar('Loss/train', loss, step)`, `writer.addImage('x', img, { dataformats: 'HWC' })`.
 */
export class SummaryWriter {
  readonly logDir: string;
  private purgeStep: number | null;
  readonly maxQueue: number;
  readonly flushSecs: number;
  readonly filenameSuffix: string;
  private fileWriter: FileWriter | null = null;
  private allWriters: Map<string, FileWriter> | null = null;
  private embeddings: Record<string, unknown>[] = [];

  constructor(...args: Rest<SummaryWriterOptions, typeof WRITER_ARGS>) {
    const o = parse<SummaryWriterOptions>('SummaryWriter', args, WRITER_ARGS);
    this.logDir = o.logDir ? String(o.logDir) : path.join('runs', `${timestamp()}_${os.hostname()}${o.comment ?? ''}`);
    this.purgeStep = o.purgeStep ?? null;
    this.maxQueue = o.maxQueue ?? 10;
    this.flushSecs = o.flushSecs ?? 120;
    this.filenameSuffix = o.filenameSuffix ?? '';
    this.getFileWriter();
  }

  /** The writer of logDir, made again after close(), as Python's _get_file_writer. */
  private getFileWriter(): FileWriter {
    if (this.fileWriter && this.allWriters) return this.fileWriter;
    this.fileWriter = new FileWriter(this.logDir, this.maxQueue, this.flushSecs, this.filenameSuffix);
    this.allWriters = new Map([[this.fileWriter.getLogdir(), this.fileWriter]]);
    if (this.purgeStep !== null) {
      this.fileWriter.addEvent({ step: this.purgeStep, file_version: 'brain.Event:2' });
      this.fileWriter.addEvent({ step: this.purgeStep, session_log: { status: 'START' } });
      this.purgeStep = null;
    }
    return this.fileWriter;
  }

  getLogdir(): string {
    return this.logDir;
  }

  addScalar(tag: string, scalarValue: ValuesLike, ...rest: Rest<ScalarOptions, ['globalStep', 'walltime', 'newStyle', 'doublePrecision']>): void {
    const o = parse<ScalarOptions>('add_scalar', rest, ['globalStep', 'walltime', 'newStyle', 'doublePrecision']);
    this.getFileWriter().addSummary(scalar(tag, scalarValue, o.newStyle ?? false, o.doublePrecision ?? false), o.globalStep ?? null, o.walltime ?? null);
  }

  /** Each scalar goes to its own run, logDir/<mainTag>_<tag>, under the tag mainTag. */
  addScalars(mainTag: string, tagScalarDict: Record<string, ValuesLike>, ...rest: Rest<StepOptions, ['globalStep', 'walltime']>): void {
    const o = parse<StepOptions>('add_scalars', rest, ['globalStep', 'walltime']);
    const walltime = o.walltime ?? Date.now() / 1000;
    const base = this.getFileWriter().getLogdir();
    for (const [tag, value] of Object.entries(tagScalarDict)) {
      const fwTag = `${base}/${mainTag.replace(/\//g, '_')}_${tag}`;
      let fw = this.allWriters!.get(fwTag);
      if (!fw) {
        fw = new FileWriter(fwTag, this.maxQueue, this.flushSecs, this.filenameSuffix);
        this.allWriters!.set(fwTag, fw);
      }
      fw.addSummary(scalar(mainTag, value), o.globalStep ?? null, walltime);
    }
  }

  addHistogram(tag: string, values: ValuesLike, ...rest: Rest<HistogramOptions, ['globalStep', 'bins', 'walltime', 'maxBins']>): void {
    const o = parse<HistogramOptions>('add_histogram', rest, ['globalStep', 'bins', 'walltime', 'maxBins']);
    const bins = o.bins === undefined || o.bins === 'tensorflow' ? TENSORFLOW_BINS : o.bins;
    this.getFileWriter().addSummary(histogram(tag, values, bins as number | readonly number[], o.maxBins ?? null), o.globalStep ?? null, o.walltime ?? null);
  }

  addHistogramRaw(tag: string, min: number, max: number, num: number, sum: number, sumSquares: number, bucketLimits: readonly number[], bucketCounts: readonly number[], ...rest: Rest<HistogramRawOptions, ['globalStep', 'walltime']>): void {
    const o = parse<HistogramRawOptions>('add_histogram_raw', rest, ['globalStep', 'walltime']);
    if (bucketLimits.length !== bucketCounts.length) throw new ValueError('len(bucket_limits) != len(bucket_counts), see the document.');
    const hist = { min, max, num, sum, sum_squares: sumSquares, bucket_limit: [...bucketLimits], bucket: [...bucketCounts] };
    this.getFileWriter().addSummary(histogramRaw(tag, hist), o.globalStep ?? null, o.walltime ?? null);
  }

  /** One image: dataformats 'CHW' (default), 'HWC' or 'HW'; uint8 as is, floats in [0, 1]. */
  addImage(tag: string, imgTensor: ValuesLike, ...rest: Rest<ImageOptions, ['globalStep', 'walltime', 'dataformats']>): void {
    const o = parse<ImageOptions>('add_image', rest, ['globalStep', 'walltime', 'dataformats']);
    this.getFileWriter().addSummary(image(tag, imgTensor, o.dataformats ?? 'CHW'), o.globalStep ?? null, o.walltime ?? null);
  }

  /** A batch of images ('NCHW' default, or 'NHWC'), tiled 8 to a row. */
  addImages(tag: string, imgTensor: ValuesLike, ...rest: Rest<ImageOptions, ['globalStep', 'walltime', 'dataformats']>): void {
    const o = parse<ImageOptions>('add_images', rest, ['globalStep', 'walltime', 'dataformats']);
    this.getFileWriter().addSummary(image(tag, imgTensor, o.dataformats ?? 'NCHW'), o.globalStep ?? null, o.walltime ?? null);
  }

  /** One image ('CHW' default) with boxes [N, 4] (x1, y1, x2, y2) outlined in red, as PIL draws them. */
  addImageWithBoxes(tag: string, imgTensor: ValuesLike, boxTensor: BoxesLike, ...rest: Rest<ImageWithBoxesOptions, ['globalStep', 'walltime', 'rescale', 'dataformats', 'labels']>): void {
    const o = parse<ImageWithBoxesOptions>('add_image_with_boxes', rest, ['globalStep', 'walltime', 'rescale', 'dataformats', 'labels']);
    let labels = o.labels ?? null;
    if (typeof labels === 'string') labels = [labels];
    // labels that do not match the boxes one to one are dropped, as PyTorch drops them
    const boxes = boxTensor instanceof Tensor ? boxTensor.size(0) : (boxTensor as unknown[]).length;
    if (labels !== null && labels.length !== boxes) labels = null;
    const summary = imageBoxes(tag, imgTensor, boxTensor, o.rescale ?? 1, o.dataformats ?? 'CHW', labels);
    this.getFileWriter().addSummary(summary, o.globalStep ?? null, o.walltime ?? null);
  }

  /** A mesh or point cloud for the mesh plugin: vertices [B, N, 3], with colors and faces. */
  addMesh(tag: string, vertices: MeshTensor, ...rest: Rest<MeshOptions, ['colors', 'faces', 'configDict', 'globalStep', 'walltime']>): void {
    const o = parse<MeshOptions>('add_mesh', rest, ['colors', 'faces', 'configDict', 'globalStep', 'walltime']);
    this.getFileWriter().addSummary(mesh(tag, vertices, o.colors ?? null, o.faces ?? null, o.configDict ?? null), o.globalStep ?? null, o.walltime ?? null);
  }

  /** A mono clip in [-1, 1] as a 16-bit WAV. */
  addAudio(tag: string, sndTensor: ValuesLike, ...rest: Rest<AudioOptions, ['globalStep', 'sampleRate', 'walltime']>): void {
    const o = parse<AudioOptions>('add_audio', rest, ['globalStep', 'sampleRate', 'walltime']);
    this.getFileWriter().addSummary(audio(tag, sndTensor, o.sampleRate ?? 44100), o.globalStep ?? null, o.walltime ?? null);
  }

  addText(tag: string, textString: string, ...rest: Rest<StepOptions, ['globalStep', 'walltime']>): void {
    const o = parse<StepOptions>('add_text', rest, ['globalStep', 'walltime']);
    this.getFileWriter().addSummary(text(tag, textString), o.globalStep ?? null, o.walltime ?? null);
  }

  addPrCurve(tag: string, labels: ValuesLike, predictions: ValuesLike, ...rest: Rest<PrCurveOptions, ['globalStep', 'numThresholds', 'weights', 'walltime']>): void {
    const o = parse<PrCurveOptions>('add_pr_curve', rest, ['globalStep', 'numThresholds', 'weights', 'walltime']);
    this.getFileWriter().addSummary(prCurve(tag, labels, predictions, o.numThresholds ?? 127, o.weights ?? null), o.globalStep ?? null, o.walltime ?? null);
  }

  addPrCurveRaw(tag: string, truePositiveCounts: ValuesLike, falsePositiveCounts: ValuesLike, trueNegativeCounts: ValuesLike, falseNegativeCounts: ValuesLike, precision: ValuesLike, recall: ValuesLike, ...rest: Rest<PrCurveOptions, ['globalStep', 'numThresholds', 'weights', 'walltime']>): void {
    const o = parse<PrCurveOptions>('add_pr_curve_raw', rest, ['globalStep', 'numThresholds', 'weights', 'walltime']);
    const rows = [truePositiveCounts, falsePositiveCounts, trueNegativeCounts, falseNegativeCounts, precision, recall];
    this.getFileWriter().addSummary(prCurveRaw(tag, rows, o.numThresholds ?? 127), o.globalStep ?? null, o.walltime ?? null);
  }

  /** The custom scalars plugin's layout: { category: { title: ['Multiline', tags] | ['Margin', [value, lower, upper]] } }. */
  addCustomScalars(layout: CustomScalarLayout): void {
    this.getFileWriter().addSummary(customScalars(layout));
  }

  addCustomScalarsMultilinechart(tags: string[], category = 'default', title = 'untitled'): void {
    this.addCustomScalars({ [category]: { [title]: ['Multiline', tags] } });
  }

  addCustomScalarsMarginchart(tags: string[], category = 'default', title = 'untitled'): void {
    if (tags.length !== 3) throw new AssertionError('');
    this.addCustomScalars({ [category]: { [title]: ['Margin', tags] } });
  }

  /**
   * The model's graph for TensorBoard's Graphs tab: traced on inputToModel in eval mode
   * (torch.jit.trace, whose limits apply: values read in JS are constants), scopes by submodule.
   */
  addGraph(model: Module, inputToModel: Tensor | Tensor[], ...rest: Rest<GraphOptions, ['verbose', 'useStrictTrace']>): void {
    const o = parse<GraphOptions>('add_graph', rest, ['verbose', 'useStrictTrace']);
    const [graphDef, runMetadata] = modelGraph(model, inputToModel, o.useStrictTrace ?? true, o.verbose ?? false);
    this.getFileWriter().addGraph(graphDef, runMetadata);
  }

  /**
   * Points for TensorBoard's projector (mat: [n, d]), with labels and thumbnails, in
   * logDir/<step>/<tag>/; projector_config.pbtxt lists every embedding of this writer.
   */
  addEmbedding(mat: ValuesLike, ...rest: Rest<EmbeddingOptions, ['metadata', 'labelImg', 'globalStep', 'tag', 'metadataHeader']>): void {
    const o = parse<EmbeddingOptions>('add_embedding', rest, ['metadata', 'labelImg', 'globalStep', 'tag', 'metadataHeader']);
    const logdir = this.getFileWriter().getLogdir();
    const args = { mat, metadata: o.metadata ?? null, labelImg: o.labelImg ?? null, globalStep: o.globalStep ?? 0, tag: o.tag ?? 'default', metadataHeader: o.metadataHeader ?? null };
    this.embeddings.push(writeEmbedding(logdir, args));
    writeProjectorConfig(logdir, this.embeddings);
  }

  /**
   * One run of a hyperparameter sweep: its hparams and final metrics, in the sub-run
   * logDir/<runName> (default: the time in seconds), read by TensorBoard's HParams tab.
   */
  addHparams(hparamDict: HParamDict, metricDict: Record<string, ValuesLike>, ...rest: Rest<HParamsOptions, ['hparamDomainDiscrete', 'runName']>): void {
    const o = parse<HParamsOptions>('add_hparams', rest, ['hparamDomainDiscrete', 'runName']);
    const [exp, ssi, sei] = hparams(hparamDict, metricDict, o.hparamDomainDiscrete ?? null);
    const runName = o.runName || String(Date.now() / 1000);
    const w = new SummaryWriter(path.join(this.getFileWriter().getLogdir(), runName));
    try {
      w.getFileWriter().addSummary(exp);
      w.getFileWriter().addSummary(ssi);
      w.getFileWriter().addSummary(sei);
      for (const [k, v] of Object.entries(metricDict)) w.addScalar(k, v);
    } finally {
      w.close();
    }
  }

  flush(): void {
    for (const w of this.allWriters?.values() ?? []) w.flush();
  }

  close(): void {
    if (!this.allWriters) return;
    for (const w of this.allWriters.values()) w.close();
    this.fileWriter = null;
    this.allWriters = null;
  }
}
