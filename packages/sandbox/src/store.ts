/** The sandbox's memory: accepted submissions and the users they are about. */

/** One file part of an accepted submission. */
export interface RecordedFile {
  /** The multipart part name, e.g. `front`. */
  part: string;
  /** The filename from `Content-Disposition`, if the part had one. */
  filename: string | null;
  /** The part's `Content-Type` (default `text/plain` per RFC 7578 when absent). */
  contentType: string;
  /** Size in bytes. */
  size: number;
  /** Lower-case hex SHA-256 of the file bytes. */
  sha256: string;
  /** Where the file was written, when the sandbox was started with `storeFilesDir`. */
  path?: string;
}

/** An accepted verification, as recorded by the sandbox. */
export interface SubmissionRecord {
  /** The `verification_id` the sandbox answered with (a UUID). */
  verification_id: string;
  /** The API version the request was served with (its `Payward-Version` / `Kraken-Version`, else the default). */
  apiVersion: string;
  /** The operation that accepted it (`submitVerification` or `submitVerificationFromUrls`). */
  operationId: string;
  /** The user (IIBAN) from the path. */
  user: string;
  /** The verification `type`. */
  type: string;
  /** The parsed `metadata`. */
  metadata: unknown;
  /** The text parts as received (multipart submissions), e.g. `{ type: 'selfie', metadata: '{"verifier":…}' }`. */
  fields: Record<string, string>;
  /** The file parts (multipart submissions), under the part name the request used. */
  files: RecordedFile[];
  /** The document URLs (`*_url` fields of URL submissions). */
  urls: Record<string, string>;
  /** The `API-Nonce` of the request. */
  nonce: string;
  /** When the sandbox accepted it (ISO 8601). */
  receivedAt: string;
}

/** A required action of a user, in the spec's `RequiredAction` shape. */
export interface RequiredAction {
  /** Always `verification` in the sandbox. */
  action_type: 'verification';
  /** What must be verified: a key of {@link VERIFICATION_REQUIREMENTS}, e.g. `identity`. */
  verification_type: string;
  /** Why: `initial_onboarding`. */
  reasons: string[];
  /** 30 days after the user's first contact (ISO 8601). */
  deadline: string;
}

/**
 * Which verification `type` satisfies which `verification_type` of a required action. A user
 * starts with all of them required; each accepted submission of the matching type removes one.
 */
export const VERIFICATION_REQUIREMENTS: Readonly<Record<string, string>> = {
  identity: 'identity_document',
  residence: 'residence_document',
  tax_id: 'tax_id_document',
  selfie: 'selfie',
  watchlists: 'watchlists',
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** Accepted submissions and per-user state. Users are created on first contact. */
export class SandboxStore {
  /** Every accepted submission, oldest first. */
  readonly submissions: SubmissionRecord[] = [];
  readonly #users = new Map<string, { createdAt: Date }>();
  readonly #now: () => Date;

  constructor(now: () => Date = () => new Date()) {
    this.#now = now;
  }

  /** Records an accepted submission (and creates its user if needed). */
  add(record: SubmissionRecord): void {
    this.#touch(record.user);
    this.submissions.push(record);
  }

  #touch(user: string): { createdAt: Date } {
    let state = this.#users.get(user);
    if (!state) {
      state = { createdAt: this.#now() };
      this.#users.set(user, state);
    }
    return state;
  }

  /** Forgets every submission and user. */
  clear(): void {
    this.submissions.length = 0;
    this.#users.clear();
  }

  /**
   * The user in the spec's `User` shape; `required_actions` lists the verifications not yet
   * received, among the verification types the request's API version knows (`types`).
   */
  user(user: string, types: ReadonlySet<string>): Record<string, unknown> {
    const { createdAt } = this.#touch(user);
    const received = new Set(this.submissions.filter((s) => s.user === user).map((s) => s.type));
    const deadline = new Date(createdAt.getTime() + 30 * DAY_MS).toISOString();
    const required_actions: RequiredAction[] = Object.entries(VERIFICATION_REQUIREMENTS)
      .filter(([, type]) => types.has(type) && !received.has(type))
      .map(([verification_type]) => ({
        action_type: 'verification',
        verification_type,
        reasons: ['initial_onboarding'],
        deadline,
      }));
    return {
      user,
      user_type: 'individual',
      status: { state: 'ok', required_actions },
      created_at: createdAt.toISOString(),
    };
  }
}
