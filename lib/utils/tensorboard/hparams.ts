// torch.utils.tensorboard.summary.hparams: the HParams plugin's three summaries (experiment, session
// start with the values, session end) for one run.
import { PyTypeError, ValueError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { encode } from './schema';
import { SummaryObject } from './summary';
import { toValues } from './values';

export type HParamValue = number | string | boolean | Tensor | null | undefined;
export type HParamDict = Record<string, HParamValue>;

// tensorboard/plugins/hparams/metadata.py
const PLUGIN_NAME = 'hparams';
const PLUGIN_DATA_VERSION = 0;
const EXPERIMENT_TAG = '_hparams_/experiment';
const SESSION_START_INFO_TAG = '_hparams_/session_start_info';
const SESSION_END_INFO_TAG = '_hparams_/session_end_info';

const isDict = (d: unknown): d is Record<string, unknown> => d !== null && typeof d === 'object' && !Array.isArray(d) && !(d instanceof Tensor) && !(d instanceof Map);

function pluginSummary(tag: string, data: Record<string, unknown>): SummaryObject {
  const content = encode('tensorboard.hparams.HParamsPluginData', { ...data, version: PLUGIN_DATA_VERSION });
  return { value: [{ tag, metadata: { plugin_data: { plugin_name: PLUGIN_NAME, content } } }] };
}

/** A google.protobuf.Value: Python's bools are ints, so a boolean hparam is logged as the number 1 or 0. */
function structValue(v: number | string | boolean): Record<string, unknown> {
  return typeof v === 'string' ? { stringValue: v } : { numberValue: Number(v) };
}

/**
 * hparams(hparam_dict, metric_dict, hparam_domain_discrete): [experiment, sessionStartInfo,
 * sessionEndInfo]. Numbers and booleans are FLOAT64 hparams (as in Python, where bool is an int),
 * strings STRING, a tensor its first value; null is skipped.
 */
export function hparams(hparamDict: HParamDict, metricDict: Record<string, unknown>, hparamDomainDiscrete: Record<string, unknown[]> | null = null): [SummaryObject, SummaryObject, SummaryObject] {
  if (!isDict(hparamDict)) throw new PyTypeError('parameter: hparam_dict should be a dictionary, nothing logged.');
  if (!isDict(metricDict)) throw new PyTypeError('parameter: metric_dict should be a dictionary, nothing logged.');
  const domains = hparamDomainDiscrete ?? {};
  if (!isDict(domains)) throw new PyTypeError('parameter: hparam_domain_discrete should be a dictionary, nothing logged.');
  for (const [k, v] of Object.entries(domains)) {
    const kind = (x: unknown): string => (typeof x === 'boolean' ? 'boolean' : typeof x);
    if (!(k in hparamDict) || !Array.isArray(v) || !v.every((d) => kind(d) === kind(hparamDict[k]))) {
      throw new PyTypeError(`parameter: hparam_domain_discrete[${k}] should be a list of same type as hparam_dict[${k}].`);
    }
  }
  const infos: Record<string, unknown>[] = [];
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(hparamDict)) {
    if (v === null || v === undefined) continue;
    if (v instanceof Tensor) {
      values[k] = { numberValue: toValues(v).data[0] };
      infos.push({ name: k, type: 'DATA_TYPE_FLOAT64' });
      continue;
    }
    if (typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'boolean') {
      throw new ValueError('value should be one of int, float, str, bool, or torch.Tensor');
    }
    values[k] = structValue(v);
    const domain = domains[k] as (number | string | boolean)[] | undefined;
    infos.push({
      name: k,
      type: typeof v === 'string' ? 'DATA_TYPE_STRING' : 'DATA_TYPE_FLOAT64',
      ...(domain ? { domain_discrete: { values: domain.map(structValue) } } : {}),
    });
  }
  const metricInfos = Object.keys(metricDict).map((tag) => ({ name: { tag } }));
  return [
    pluginSummary(EXPERIMENT_TAG, { experiment: { hparam_infos: infos, metric_infos: metricInfos } }),
    pluginSummary(SESSION_START_INFO_TAG, { session_start_info: { hparams: values } }),
    pluginSummary(SESSION_END_INFO_TAG, { session_end_info: { status: 'STATUS_SUCCESS' } }),
  ];
}
