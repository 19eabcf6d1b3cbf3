// Which model profile a run checks against: the one the user chose (`--profile NAME`), or the one
// INFO server's version names. An unknown version stops the run before any verdict (exit 2).

import {
  describeServerVersion,
  detectProfile,
  PROFILES,
  UnsupportedVersion,
  type ProfileId,
  type ServerIdentity,
} from "../../model/profile.js";
import { TargetUnavailable } from "../targets/target.js";

export const PROFILE_IDS = Object.keys(PROFILES) as ProfileId[];

export function isProfileId(id: string): id is ProfileId {
  return Object.hasOwn(PROFILES, id);
}

/** "builtin (replcheck built-in server), redis-6.2 (Redis 6.2), ..." */
export function profileList(): string {
  return Object.values(PROFILES)
    .map((p) => `${p.id} (${p.label})`)
    .join(", ");
}

const CHOOSE_HINT = () =>
  `choose the model profile closest to the server with --profile NAME, one of: ${profileList()}`;

/**
 * The profile for a server whose `INFO server` fields are `infoServer`. With `explicit`, that
 * profile is used whatever the server reports (detection still refines it when it agrees, e.g. the
 * RDB version of 7.2 vs 7.4). Throws TargetUnavailable for an unknown version or profile id.
 */
export function chooseProfile(infoServer: Readonly<Record<string, string>>, explicit?: string): ServerIdentity {
  if (explicit !== undefined) {
    if (!isProfileId(explicit)) throw new TargetUnavailable(`unknown model profile "${explicit}"`, CHOOSE_HINT());
    const detected = tryDetect(infoServer);
    if (detected?.profile.id === explicit) return detected;
    return {
      profile: PROFILES[explicit],
      version: `${describeServerVersion(infoServer)}, chosen with --profile ${explicit}`,
    };
  }
  try {
    return detectProfile(infoServer);
  } catch (e) {
    if (e instanceof UnsupportedVersion) throw new TargetUnavailable(e.message, CHOOSE_HINT());
    throw e;
  }
}

function tryDetect(infoServer: Readonly<Record<string, string>>): ServerIdentity | undefined {
  try {
    return detectProfile(infoServer);
  } catch (e) {
    if (e instanceof UnsupportedVersion) return undefined;
    throw e;
  }
}
