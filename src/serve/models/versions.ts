/**
 * Model versions on disk: `modelsDir/<id>/` holds `version.json` (the {@link ModelVersion} facts),
 * `ids.json` (user and item ids by model index), `model/` (the model's own files) and `serving/`
 * (co-purchase lists and bought items). A version is built in a hidden temporary directory and
 * renamed into place, so a crash mid-save leaves no half-written version behind.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MagpieError } from '../../core/errors.js';
import type { ModelVersion } from '../types.js';

/** Default directory of model versions. */
export const DEFAULT_MODELS_DIR = './data/models';

const ID_PATTERN = /^v\d{14}-[a-z0-9-]+$/;

/** `v<yyyymmddHHMMss>-<model>` for a time (UTC). */
export function versionId(model: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `v${stamp}-${model}`;
}

/** Throws MagpieError('invalid_input') unless `id` looks like a version id (guards paths). */
export function checkVersionId(id: string): string {
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    throw new MagpieError('invalid_input', `"${String(id)}" is not a model version id`, {
      location: { field: 'version' },
      hint: 'version ids look like v20261123101500-ease; list them with the models API',
    });
  }
  return id;
}

/** The ids stored beside a model: user and item ids by model index. */
export interface VersionIds {
  users: string[];
  items: string[];
}

/**
 * Writes a new version: `fill(dir)` writes the model files into a temporary directory, then
 * `version.json` and `ids.json` are added and the directory is renamed to `modelsDir/<id>`.
 * When the id is taken (two trainings in one second), the next second is used.
 */
export async function writeVersion(
  modelsDir: string,
  info: Omit<ModelVersion, 'id' | 'active'>,
  ids: VersionIds,
  fill: (dir: string) => Promise<void>,
  at: Date = new Date(),
): Promise<ModelVersion> {
  await mkdir(modelsDir, { recursive: true });
  const temp = join(modelsDir, `.saving-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(temp);
  try {
    await fill(temp);
    await writeFile(join(temp, 'ids.json'), JSON.stringify(ids), { flush: true });
    for (let attempt = 0; ; attempt++) {
      const id = versionId(info.model, new Date(at.getTime() + attempt * 1000));
      const version: ModelVersion = { id, ...info, active: false };
      await writeFile(join(temp, 'version.json'), `${JSON.stringify(version, null, 2)}\n`, { flush: true });
      try {
        await rename(temp, join(modelsDir, id));
        return version;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if ((code !== 'ENOTEMPTY' && code !== 'EEXIST') || attempt > 100) throw error;
      }
    }
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}

function corrupt(dir: string, why: string): MagpieError {
  return new MagpieError('corrupt', `model version at ${dir} is damaged: ${why}`, {
    hint: 'delete this version and train a new one, or activate another version',
  });
}

async function readJson(dir: string, file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(join(dir, file), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      const exists = await readdir(dir).then(
        () => true,
        () => false,
      );
      if (!exists) throw new MagpieError('not_found', `no model version at ${dir}`, { hint: 'list the versions, or train one' });
    }
    throw corrupt(dir, `${file} is missing or unreadable`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw corrupt(dir, `${file} is not valid JSON`);
  }
}

/** Reads `version.json`; MagpieError('not_found') when the directory is missing, 'corrupt' when damaged. */
export async function readVersionInfo(dir: string): Promise<ModelVersion> {
  const raw = (await readJson(dir, 'version.json')) as Partial<ModelVersion> | null;
  if (
    !raw ||
    typeof raw.id !== 'string' ||
    typeof raw.model !== 'string' ||
    typeof raw.params !== 'object' ||
    raw.params === null ||
    typeof raw.trainedAt !== 'string' ||
    !Number.isFinite(raw.users) ||
    !Number.isFinite(raw.items)
  ) {
    throw corrupt(dir, 'version.json lacks id, model, params, trainedAt, users or items');
  }
  return {
    id: raw.id,
    model: raw.model,
    params: raw.params,
    trainedAt: raw.trainedAt,
    trainSeconds: Number(raw.trainSeconds ?? 0),
    users: raw.users!,
    items: raw.items!,
    events: Number(raw.events ?? 0),
    metrics: raw.metrics ?? null,
    active: false,
  };
}

/** Reads `ids.json`, checking its counts against the version's. */
export async function readVersionIds(dir: string, info: ModelVersion): Promise<VersionIds> {
  const raw = (await readJson(dir, 'ids.json')) as Partial<VersionIds> | null;
  const ok = (list: unknown): list is string[] => Array.isArray(list) && list.every((id) => typeof id === 'string');
  if (!raw || !ok(raw.users) || !ok(raw.items)) throw corrupt(dir, 'ids.json lacks the user and item ids');
  if (raw.users.length !== info.users || raw.items.length !== info.items) {
    throw corrupt(dir, `ids.json has ${raw.users.length} users and ${raw.items.length} items, version.json says ${info.users} and ${info.items}`);
  }
  return { users: raw.users, items: raw.items };
}

/** Every readable version under `modelsDir`, newest first; damaged ones are reported to `onDamaged`. */
export async function listVersions(modelsDir: string, onDamaged: (id: string, error: unknown) => void = () => {}): Promise<ModelVersion[]> {
  let names: string[];
  try {
    names = await readdir(modelsDir);
  } catch {
    return [];
  }
  const out: ModelVersion[] = [];
  for (const name of names.filter((n) => ID_PATTERN.test(n)).sort().reverse()) {
    try {
      out.push(await readVersionInfo(join(modelsDir, name)));
    } catch (error) {
      onDamaged(name, error);
    }
  }
  return out;
}

/** Removes a version's directory (first renamed aside, so no reader sees half a directory). */
export async function removeVersion(modelsDir: string, id: string): Promise<boolean> {
  const dir = join(modelsDir, checkVersionId(id));
  const aside = join(modelsDir, `.deleting-${id}-${randomBytes(4).toString('hex')}`);
  try {
    await rename(dir, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  await rm(aside, { recursive: true, force: true });
  return true;
}
