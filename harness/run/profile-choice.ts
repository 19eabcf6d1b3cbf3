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

/** Every node's profile, each chosen from its own `INFO server` (a mixed target runs two kinds). */
export interface NodeProfiles {
  /** Per node name, its profile and the version it was chosen from. */
  byNode: Record<string, ServerIdentity>;
  /**
   * How reports name them: "Redis 7.0 (7.0.15)" when every node has one profile, else each profile
   * with its nodes, "replcheck built-in server (0.1.0) on n0 + Redis 7.0 (7.0.15) on n1, n2".
   */
  text: string;
  /** The profile every node has; undefined when they differ. */
  sole?: ProfileId;
}

/**
 * Each node's profile from its `INFO server` fields (in node order); `explicit` (--profile) applies
 * to every node. Throws TargetUnavailable as chooseProfile does, naming the node.
 */
export function chooseNodeProfiles(
  infoServer: Readonly<Record<string, Readonly<Record<string, string>>>>,
  explicit?: string,
): NodeProfiles {
  const byNode: Record<string, ServerIdentity> = {};
  // Naming the node helps only when the nodes run different servers.
  const kinds = new Set(Object.values(infoServer).map(describeServerVersion));
  for (const [node, info] of Object.entries(infoServer)) {
    try {
      byNode[node] = chooseProfile(info, explicit);
    } catch (e) {
      if (e instanceof TargetUnavailable && kinds.size > 1)
        throw new TargetUnavailable(`node ${node}: ${e.message}`, e.hint);
      throw e;
    }
  }
  const groups = new Map<string, string[]>();
  for (const [node, identity] of Object.entries(byNode)) {
    const text = `${identity.profile.label} (${identity.version})`;
    groups.set(text, [...(groups.get(text) ?? []), node]);
  }
  const ids = new Set(Object.values(byNode).map((i) => i.profile.id));
  return {
    byNode,
    text:
      groups.size === 1
        ? [...groups.keys()][0]
        : [...groups].map(([text, nodes]) => `${text} on ${nodes.join(", ")}`).join(" + "),
    ...(ids.size === 1 ? { sole: [...ids][0] } : {}),
  };
}
