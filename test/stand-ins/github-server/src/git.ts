import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface GitRef {
  /** Full name, e.g. `refs/tags/v1`. */
  ref: string;
  sha: string;
  type: 'commit' | 'tag' | 'tree' | 'blob';
}

/** An annotated tag object: what GET /git/tags/{tag_sha} shows. */
export interface GitTagObject {
  sha: string;
  tag: string;
  objectSha: string;
  objectType: GitRef['type'];
  message: string;
  tagger: { name: string; email: string; date: string };
}

/**
 * The local git repository behind one served repository: its objects are the
 * valid SHAs and its refs are the refs the API shows. Writes are serialised
 * through one queue, so concurrent API calls see git's own all-or-nothing
 * ref updates in a well-defined order.
 */
export interface MergedPullRequest {
  number: number;
  title: string;
  /** The merge commit's author name, standing in for the pull request author's login. */
  author: string;
}

export class GitRepository {
  readonly path: string;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(path: string) {
    this.path = path;
  }

  async #git(args: string[]): Promise<string> {
    const { stdout } = await run('git', ['-C', this.path, ...args], { maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** Fails with a message naming the path when it is not a git repository. */
  async verify(): Promise<void> {
    try {
      await this.#git(['rev-parse', '--git-dir']);
    } catch {
      throw new Error(`${this.path} is not a git repository (git -C ${this.path} rev-parse --git-dir failed)`);
    }
  }

  /** The object type of a full SHA, or undefined when the repository has no such object. */
  async objectType(sha: string): Promise<GitRef['type'] | undefined> {
    if (!/^[0-9a-f]{40}$/.test(sha)) return undefined;
    try {
      return (await this.#git(['cat-file', '-t', sha])).trim() as GitRef['type'];
    } catch {
      return undefined;
    }
  }

  /** An annotated tag object (`git cat-file tag`), or undefined when `sha` is not one. */
  async readTag(sha: string): Promise<GitTagObject | undefined> {
    if ((await this.objectType(sha)) !== 'tag') return undefined;
    const text = await this.#git(['cat-file', 'tag', sha]);
    const end = text.indexOf('\n\n');
    const header = end === -1 ? text : text.slice(0, end);
    const fields = new Map(
      header.split('\n').map((line) => [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)]),
    );
    // tagger: "Name <email> 1700000000 +0000"
    const tagger = /^(.*) <([^>]*)> (\d+) ([+-]\d{4})$/.exec(fields.get('tagger') ?? '');
    return {
      sha,
      tag: fields.get('tag') ?? '',
      objectSha: fields.get('object') ?? '',
      objectType: (fields.get('type') ?? 'commit') as GitRef['type'],
      message: end === -1 ? '' : text.slice(end + 2),
      tagger: {
        name: tagger?.[1] ?? '',
        email: tagger?.[2] ?? '',
        date: new Date(Number(tagger?.[3] ?? 0) * 1000).toISOString().replace(/\.000Z$/, 'Z'),
      },
    };
  }

  /** Resolves a branch, tag or SHA to a commit SHA, or undefined. */
  async resolveCommit(commitish: string): Promise<string | undefined> {
    if (commitish.startsWith('-')) return undefined;
    try {
      return (await this.#git(['rev-parse', '--verify', '--quiet', `${commitish}^{commit}`])).trim() || undefined;
    } catch {
      return undefined;
    }
  }

  /** The branch HEAD points at (GitHub's default branch). */
  async defaultBranch(): Promise<string> {
    // Reading HEAD directly saves a process per release created.
    for (const head of [path.join(this.path, '.git', 'HEAD'), path.join(this.path, 'HEAD')]) {
      const m = /^ref: refs\/heads\/(.+)$/m.exec(await readFile(head, 'utf8').catch(() => ''));
      if (m) return m[1] as string;
    }
    try {
      return (await this.#git(['symbolic-ref', '--short', 'HEAD'])).trim();
    } catch {
      return 'main';
    }
  }

  /** Refs whose full name starts with `prefix` (e.g. `refs/tags/`), sorted by name. */
  async listRefs(prefix = 'refs/'): Promise<GitRef[]> {
    // for-each-ref matches whole path components; GitHub matches any string prefix.
    const scope = prefix.slice(0, prefix.lastIndexOf('/') + 1) || 'refs/';
    const out = await this.#git(['for-each-ref', '--format=%(refname) %(objectname) %(objecttype)', scope]);
    return out
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [ref, sha, type] = line.split(' ') as [string, string, GitRef['type']];
        return { ref, sha, type };
      })
      .filter((r) => r.ref.startsWith(prefix));
  }

  /**
   * The pull requests merged between two commits, read from GitHub's merge
   * commit messages ("Merge pull request #N from owner/branch", the title on
   * the first line of the body), oldest first: what GitHub's generated
   * release notes list. `from` undefined: everything reachable from `to`.
   */
  async mergedPullRequests(from: string | undefined, to: string): Promise<MergedPullRequest[]> {
    const range = from ? [`${from}..${to}`] : [to];
    const out = await this.#git(['log', '--merges', '--reverse', '--format=%H%x00%an%x00%s%x00%b%x1e', ...range, '--']);
    const pulls: MergedPullRequest[] = [];
    for (const record of out.split('\x1e')) {
      const [, author = '', subject = '', body = ''] = record.replace(/^\n/, '').split('\0');
      const merge = /^Merge pull request #([1-9]\d*) from (\S+)$/.exec(subject);
      if (!merge) continue;
      const title =
        body
          .split('\n')
          .find((line) => line.trim() !== '')
          ?.trim() ?? (merge[2] as string);
      pulls.push({ number: Number(merge[1]), title, author });
    }
    return pulls;
  }

  async getRef(ref: string): Promise<GitRef | undefined> {
    const refs = await this.listRefs(ref);
    return refs.find((r) => r.ref === ref);
  }

  /** Creates a ref only if it does not exist yet: true when this call created it. */
  createRef(ref: string, sha: string): Promise<boolean> {
    return this.#serial(async () => {
      try {
        // The all-zero old value makes git refuse when the ref already exists.
        await this.#git(['update-ref', '--no-deref', ref, sha, '0'.repeat(40)]);
        return true;
      } catch {
        return false;
      }
    });
  }

  /** Moves a ref from `expectedOld` to `sha`; false when it was not at `expectedOld` any more. */
  updateRef(ref: string, sha: string, expectedOld: string): Promise<boolean> {
    return this.#serial(async () => {
      try {
        await this.#git(['update-ref', '--no-deref', ref, sha, expectedOld]);
        return true;
      } catch {
        return false;
      }
    });
  }

  deleteRef(ref: string): Promise<boolean> {
    return this.#serial(async () => {
      try {
        await this.#git(['update-ref', '--no-deref', '-d', ref]);
        return true;
      } catch {
        return false;
      }
    });
  }

  /** True when `ancestor` is an ancestor of (or equal to) `descendant`. */
  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    try {
      await this.#git(['merge-base', '--is-ancestor', ancestor, descendant]);
      return true;
    } catch {
      return false;
    }
  }
}
