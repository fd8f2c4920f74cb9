// torch.utils.data.datapipes (also torch.utils.data.IterDataPipe / MapDataPipe, .graph, .graph_settings).
import './functional';
export { IterDataPipe, MapDataPipe, DataChunk, functionalDatapipe } from './datapipe';
export * as iter from './iter/index';
export * as map from './map/index';
export * as graph from './graph';
export * as graphSettings from './graph-settings';
export { PythonRandom } from '../../python-random';
