/** Entry point of the setup DSL: loading with the real indicator registry wired in for reference checks. */
import { parseIndicatorSpec, shortOutputNames } from '../indicators/spec.ts';
import { loadSetupFile as loadFile, loadSetupsDir as loadDir, parseSetup as parse, type LoadedSetups, type Setup } from './loader.ts';

export type { Setup, LoadedSetups, SetupLoadError } from './loader.ts';
export { versionOf } from './loader.ts';

/** Output names of an indicator spec ([] for single-output indicators); throws InputError on a bad spec. */
export const indicatorOutputs = (spec: string): string[] => shortOutputNames(parseIndicatorSpec(spec));

export const loadSetupFile = (file: string): Setup => loadFile(file, { outputsOf: indicatorOutputs });
export const loadSetupsDir = (dir: string): LoadedSetups => loadDir(dir, { outputsOf: indicatorOutputs });
export const parseSetup = (text: string, file: string): Setup => parse(text, file, { outputsOf: indicatorOutputs });
