export { type ChangePoint, type EDivisiveOptions, eDivisive } from './e-divisive.ts';
export { readHistoryIn, writeHistory } from './history-file.ts';
export {
  History,
  HistoryPoint,
  HistorySeries,
  historyFile,
  nightlyHistory,
} from './nightly-history.ts';
