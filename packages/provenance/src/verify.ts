// Verifies an attestation bundle with @sigstore/verify (signature,
// certificate chain to the trusted root, transparency-log and timestamp
// evidence), then what the verifier leaves to us: the signer's identity
// against the policy, the claim's predicate and build type, and the in-toto
// subject against the artifact's digest.
//
// Transparency: where the trusted root has transparency logs (Sigstore's
// public-good instance, which records every signature in Rekor), a Rekor
// entry is required, as `gh attestation verify` requires it; signed
// timestamps alone are accepted only where the root has no log (GitHub's
// own instance, for private repositories).
import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import { type Digest, digestHex, errorMessage } from '@build-release-run/contract';
import { type CertificateIdentity, certificateIdentity } from './certificate-identity.ts';
import { type PolicyMismatch, type ProvenancePolicy, checkIdentity } from './policy.ts';
import { IN_TOTO_PAYLOAD_TYPE, type Statement } from './statements.ts';

/** A refused attestation: which claim failed, and which deploy input would change the policy. */
export class ProvenanceError extends Error {
  readonly claim: string;
  readonly input: string | undefined;
  constructor(claim: string, message: string, input?: string) {
    super(message);
    this.name = 'ProvenanceError';
    this.claim = claim;
    this.input = input;
  }
}

export interface VerifiedAttestation {
  statement: Statement;
  identity: CertificateIdentity;
}

export interface VerifyOptions {
  /** The serialized bundle, as the attestations API returns it. */
  bundle: unknown;
  /** The trusted root JSON (Sigstore's trusted_root.json format). */
  trustedRoot: unknown;
  policy: ProvenancePolicy;
  /** The digest the statement must name as a subject. */
  subject: Digest;
  predicateType: string;
  /** The SLSA `buildDefinition.buildType` values accepted; undefined: the predicate has none to check. */
  buildTypes?: readonly string[];
}

function describeMismatch(m: PolicyMismatch): string {
  const fix = m.input ? ` Set the input '${m.input}' if this signer is expected.` : '';
  return `the ${m.claim} is ${m.actual}, the policy expects ${m.expected}.${fix}`;
}

/** Signature, chain and evidence; throws ProvenanceError('signature', …) on any failure. */
function verifySignature(
  bundleJson: unknown,
  trustedRootJson: unknown,
): { identity: CertificateIdentity; payload: Buffer; payloadType: string } {
  let bundle;
  try {
    bundle = bundleFromJSON(bundleJson);
  } catch (error) {
    throw new ProvenanceError('bundle', `the attestation is not a Sigstore bundle: ${errorMessage(error)}`);
  }
  const root = TrustedRoot.fromJSON(trustedRootJson);
  const logged = root.tlogs.length > 0;
  if (logged && bundle.verificationMaterial.tlogEntries.length === 0) {
    throw new ProvenanceError(
      'transparency log entry',
      'the bundle has no transparency-log (Rekor) entry, but its trusted root has transparency logs: that Sigstore instance records every signature it vouches for, so a bundle without its entry is not one it made (gh attestation verify refuses it too)',
    );
  }
  const verifier = new Verifier(toTrustMaterial(root), {
    tlogThreshold: logged ? 1 : 0,
    ctlogThreshold: root.ctlogs.length > 0 ? 1 : 0,
    timestampThreshold: 1,
  });
  let signer;
  try {
    signer = verifier.verify(toSignedEntity(bundle));
  } catch (error) {
    throw new ProvenanceError(
      'signature',
      `the signature, its certificate chain or its log/timestamp evidence does not verify against the trusted root: ${errorMessage(error)}`,
    );
  }
  if (bundle.content.$case !== 'dsseEnvelope') {
    throw new ProvenanceError('envelope', 'the attestation is not a DSSE envelope');
  }
  const envelope = bundle.content.dsseEnvelope;
  return {
    identity: certificateIdentity(signer),
    payload: Buffer.from(envelope.payload),
    payloadType: envelope.payloadType,
  };
}

function parseStatement(payload: Buffer, payloadType: string): Statement {
  if (payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    throw new ProvenanceError('payload type', `the envelope carries ${payloadType}, not an in-toto statement`);
  }
  try {
    const statement = JSON.parse(payload.toString('utf8')) as Statement;
    if (!Array.isArray(statement.subject) || typeof statement.predicateType !== 'string')
      throw new Error('no subject or predicateType');
    return statement;
  } catch (error) {
    throw new ProvenanceError('statement', `the in-toto statement cannot be read: ${errorMessage(error)}`);
  }
}

export function verifyAttestation(options: VerifyOptions): VerifiedAttestation {
  const { identity, payload, payloadType } = verifySignature(options.bundle, options.trustedRoot);
  const mismatches = checkIdentity(identity, options.policy);
  const first = mismatches[0];
  if (first) throw new ProvenanceError(first.claim, mismatches.map(describeMismatch).join(' '), first.input);
  const statement = parseStatement(payload, payloadType);
  if (statement.predicateType !== options.predicateType) {
    throw new ProvenanceError(
      'predicate type',
      `the statement's predicate type is ${statement.predicateType}, expected ${options.predicateType}`,
    );
  }
  checkBuildType(statement, options.buildTypes);
  const hex = digestHex(options.subject);
  if (!statement.subject.some((s) => s?.digest?.sha256 === hex)) {
    const named = statement.subject.map((s) => `sha256:${String(s?.digest?.sha256)}`).join(', ');
    throw new ProvenanceError('subject digest', `the statement's subject is ${named}, not ${options.subject}`);
  }
  return { statement, identity };
}

function checkBuildType(statement: Statement, accepted: readonly string[] | undefined): void {
  if (accepted === undefined) return;
  const definition = statement.predicate['buildDefinition'] as { buildType?: unknown } | undefined;
  const buildType = definition?.buildType;
  if (typeof buildType === 'string' && accepted.includes(buildType)) return;
  throw new ProvenanceError(
    'build type',
    `the provenance's build type is ${typeof buildType === 'string' ? buildType : '(absent)'}, the policy accepts ${accepted.join(' or ')}`,
  );
}
