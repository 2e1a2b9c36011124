/**
 * Model files on disk: a directory holding `manifest.json` and one little-endian binary file per
 * typed array, each with a sha256 in the manifest so damage is caught at load, not at serve time.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { isMagpieError, MagpieError } from '../core/errors.js';
import type { Recommender } from './recommender.js';

/** Bumped whenever the layout changes in a way older readers cannot follow. */
export const ARTIFACT_FORMAT_VERSION = 1;

const MANIFEST = 'manifest.json';
const FORMAT = 'magpie-model';

/** The typed arrays a model may store. */
export type StoredArray = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array;

/** Element types, as written in the manifest. */
export type ArrayDtype = 'float32' | 'float64' | 'int32' | 'uint32' | 'uint8';

/** Everything a model needs to come back: its name, params, arrays and small JSON metadata. */
export interface ModelArtifact {
  model: string;
  params: Record<string, unknown>;
  arrays: Record<string, StoredArray>;
  /** Small JSON-serialisable facts (item count, category names, …). */
  meta: Record<string, unknown>;
}

interface ArrayEntry {
  name: string;
  dtype: ArrayDtype;
  length: number;
  file: string;
  sha256: string;
}

interface Manifest {
  format: typeof FORMAT;
  version: number;
  model: string;
  params: Record<string, unknown>;
  meta: Record<string, unknown>;
  arrays: ArrayEntry[];
  savedAt: string;
}

const CONSTRUCTORS = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  uint32: Uint32Array,
  uint8: Uint8Array,
} as const;

const ARRAY_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

function dtypeOf(array: StoredArray): ArrayDtype {
  if (array instanceof Float32Array) return 'float32';
  if (array instanceof Float64Array) return 'float64';
  if (array instanceof Int32Array) return 'int32';
  if (array instanceof Uint32Array) return 'uint32';
  return 'uint8';
}

function bytesOf(array: StoredArray): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function requireLittleEndian(): void {
  // Files are written in the host's byte order; every platform Node ships on today is little-endian.
  if (endianness() !== 'LE') throw new MagpieError('unsupported', 'model files need a little-endian machine');
}

/**
 * Writes `artifact` into `dir` atomically: everything goes into a temporary sibling directory
 * first, which is then renamed into place, so a crash mid-save leaves the previous model intact.
 *
 * @example
 * await saveArtifact('data/models/ease', { model: 'ease', params: { lambda: 500 }, arrays: { b }, meta: { items: 3706 } });
 */
export async function saveArtifact(dir: string, artifact: ModelArtifact): Promise<void> {
  requireLittleEndian();
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temp = join(parent, `.${basename(dir)}.saving-${tag}`);
  await mkdir(temp);
  try {
    const entries: ArrayEntry[] = [];
    for (const [name, array] of Object.entries(artifact.arrays)) {
      if (!ARRAY_NAME.test(name)) throw new MagpieError('invalid_input', `bad array name "${name}" in model ${artifact.model}`);
      const bytes = bytesOf(array);
      const file = `${name}.bin`;
      await writeFile(join(temp, file), bytes, { flush: true });
      entries.push({ name, dtype: dtypeOf(array), length: array.length, file, sha256: sha256(bytes) });
    }
    const manifest: Manifest = {
      format: FORMAT,
      version: ARTIFACT_FORMAT_VERSION,
      model: artifact.model,
      params: artifact.params,
      meta: artifact.meta,
      arrays: entries,
      savedAt: new Date().toISOString(),
    };
    await writeFile(join(temp, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { flush: true });
    await swapDirectory(temp, dir, tag);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Moves the finished `temp` directory to `dir`, replacing what was there. A directory cannot be
 * renamed over a non-empty one, so the old one steps aside first (as `.name.previous-<tag>`) and
 * is removed once the new one is in place; only between these two renames is `dir` absent, and
 * the old one is still whole at its side name then.
 */
export async function swapDirectory(temp: string, dir: string, tag: string): Promise<void> {
  const exists = await stat(dir).then(
    () => true,
    () => false,
  );
  if (!exists) {
    await rename(temp, dir);
    return;
  }
  const aside = join(dirname(dir), `.${basename(dir)}.previous-${tag}`);
  await rename(dir, aside);
  try {
    await rename(temp, dir);
  } catch (error) {
    await rename(aside, dir);
    throw error;
  }
  await rm(aside, { recursive: true, force: true });
}

/** Builds the MagpieError('corrupt') used for any damaged model file. */
export function corruptModelError(dir: string, why: string): MagpieError {
  return new MagpieError('corrupt', `model file ${dir} is damaged: ${why}`, {
    hint: 'retrain with magpie train or restore the previous version',
  });
}

/**
 * Reads a model written by {@link saveArtifact}, checking the manifest, the model name, every
 * array's length and checksum. Throws MagpieError('corrupt') on any mismatch and
 * MagpieError('not_found') when `dir` does not exist.
 */
export async function loadArtifact(dir: string, expectedModel: string): Promise<ModelArtifact> {
  requireLittleEndian();
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST), 'utf8');
  } catch (error) {
    const missingDir = !(await stat(dir).then(
      (s) => s.isDirectory(),
      () => false,
    ));
    if (missingDir) throw new MagpieError('not_found', `no model at ${dir}`, { hint: 'train one with magpie train', cause: error });
    throw corruptModelError(dir, `${MANIFEST} is missing or unreadable`);
  }
  const manifest = parseManifest(dir, text);
  if (manifest.model !== expectedModel) {
    throw corruptModelError(dir, `it holds a "${manifest.model}" model, expected "${expectedModel}"`);
  }
  const arrays: Record<string, StoredArray> = {};
  for (const entry of manifest.arrays) {
    let bytes: Buffer;
    try {
      bytes = await readFile(join(dir, entry.file));
    } catch {
      throw corruptModelError(dir, `${entry.file} is missing`);
    }
    const Ctor = CONSTRUCTORS[entry.dtype];
    const expected = entry.length * Ctor.BYTES_PER_ELEMENT;
    if (bytes.length !== expected) throw corruptModelError(dir, `${entry.file} has ${bytes.length} bytes, expected ${expected}`);
    if (sha256(bytes) !== entry.sha256) throw corruptModelError(dir, `${entry.file} fails its checksum`);
    // Copy into a fresh, aligned buffer: a Buffer may sit at any offset of a shared pool.
    const array = new Ctor(entry.length);
    new Uint8Array(array.buffer).set(bytes);
    arrays[entry.name] = array;
  }
  return { model: manifest.model, params: manifest.params, arrays, meta: manifest.meta };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseManifest(dir: string, text: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw corruptModelError(dir, `${MANIFEST} is not valid JSON`);
  }
  if (!isRecord(raw) || raw['format'] !== FORMAT) throw corruptModelError(dir, `${MANIFEST} is not a Magpie model manifest`);
  if (raw['version'] !== ARTIFACT_FORMAT_VERSION) {
    throw new MagpieError('unsupported', `model at ${dir} has format version ${String(raw['version'])}, this Magpie reads ${ARTIFACT_FORMAT_VERSION}`, {
      hint: 'retrain with magpie train or use the Magpie version that wrote it',
    });
  }
  const { model, params, meta, arrays } = raw;
  if (typeof model !== 'string' || !isRecord(params) || !isRecord(meta) || !Array.isArray(arrays)) {
    throw corruptModelError(dir, `${MANIFEST} lacks model, params, meta or arrays`);
  }
  const seen = new Set<string>();
  const entries: ArrayEntry[] = arrays.map((entry: unknown) => {
    if (
      !isRecord(entry) ||
      typeof entry['name'] !== 'string' ||
      !ARRAY_NAME.test(entry['name']) ||
      seen.has(entry['name']) ||
      typeof entry['dtype'] !== 'string' ||
      !Object.hasOwn(CONSTRUCTORS, entry['dtype']) ||
      !Number.isSafeInteger(entry['length']) ||
      (entry['length'] as number) < 0 ||
      entry['file'] !== `${entry['name']}.bin` ||
      typeof entry['sha256'] !== 'string'
    ) {
      throw corruptModelError(dir, `${MANIFEST} has a malformed array entry`);
    }
    seen.add(entry['name']);
    return entry as unknown as ArrayEntry;
  });
  return { format: FORMAT, version: ARTIFACT_FORMAT_VERSION, model, params, meta, arrays: entries, savedAt: String(raw['savedAt']) };
}

/** The named array of a loaded artifact with the expected type, or MagpieError('corrupt'). */
export function requireArray<T extends StoredArray>(
  dir: string,
  artifact: ModelArtifact,
  name: string,
  ctor: abstract new (...args: never[]) => T,
  length?: number,
): T {
  const array = artifact.arrays[name];
  if (!(array instanceof ctor)) throw corruptModelError(dir, `array "${name}" is missing or has the wrong type`);
  if (length !== undefined && array.length !== length) {
    throw corruptModelError(dir, `array "${name}" has ${array.length} entries, expected ${length}`);
  }
  return array;
}

/** A numeric fact from a loaded artifact's metadata, or MagpieError('corrupt'). */
export function requireCount(dir: string, artifact: ModelArtifact, key: string): number {
  const value = artifact.meta[key];
  if (!Number.isSafeInteger(value) || (value as number) < 0) throw corruptModelError(dir, `metadata "${key}" is missing or invalid`);
  return value as number;
}

/** How {@link loadChildModels} finds and names a composite model's children. */
export interface ChildModels<T extends { name: string }> {
  /** Each child's registry name (and whatever else `build` needs), in saved order. */
  specs: readonly T[];
  /** Child k lives in `<dir>/<prefix>-<k>`. */
  prefix: string;
  /** What a child is called in errors: `retriever`, `sub-model`. */
  noun: string;
  /** Creates the unfitted children, one per spec in order. */
  build(specs: readonly T[]): Promise<Recommender[]>;
}

/**
 * Writes a model made of child models: its own `artifact` at `dir`, and each child in a
 * `<prefix>-<k>` folder inside it. Everything is staged beside `dir` and swapped in at the end,
 * so a failed save leaves the previous model whole; {@link loadChildModels} reads it back.
 *
 * @example
 * await saveWithChildModels(dir, { model: 'blend', params, arrays, meta }, this.models, 'model');
 */
export async function saveWithChildModels(dir: string, artifact: ModelArtifact, children: readonly Recommender[], prefix: string): Promise<void> {
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const staging = join(parent, `.${basename(dir)}.${artifact.model}-${tag}`);
  try {
    await saveArtifact(staging, artifact);
    for (const [k, model] of children.entries()) await model.save(join(staging, `${prefix}-${k}`));
    await swapDirectory(staging, dir, tag);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Builds and loads the children that a composite model (`blend`, `ranker`) saved beside its own
 * files, child k from `<dir>/<prefix>-<k>`. A child that cannot be built or whose folder is
 * missing makes the parent damaged: MagpieError('corrupt') about `dir`; a damaged child throws
 * its own load error.
 *
 * @example
 * const models = await loadChildModels(dir, { specs, prefix: 'retriever', noun: 'retriever', build: (s) => this.buildModels(s) });
 */
export async function loadChildModels<T extends { name: string }>(dir: string, children: ChildModels<T>): Promise<Recommender[]> {
  let models: Recommender[];
  try {
    models = await children.build(children.specs);
  } catch (error) {
    throw corruptModelError(dir, `its ${children.noun}s cannot be built: ${(error as Error).message}`);
  }
  for (const [k, model] of models.entries()) {
    try {
      await model.load(join(dir, `${children.prefix}-${k}`));
    } catch (error) {
      if (isMagpieError(error, 'not_found')) throw corruptModelError(dir, `${children.noun} ${k} (${children.specs[k]!.name}) is missing`);
      throw error;
    }
  }
  return models;
}
