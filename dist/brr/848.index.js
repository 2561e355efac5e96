export const id = 848;
export const ids = [848];
export const modules = {

/***/ 2848:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   loadTrustedRoot: () => (/* binding */ loadTrustedRoot),
/* harmony export */   trustedRootSource: () => (/* binding */ trustedRootSource)
/* harmony export */ });
/* unused harmony export GITHUB_TUF_MIRROR */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _sigstore_protobuf_specs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1443);
/* harmony import */ var _sigstore_protobuf_specs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(_sigstore_protobuf_specs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _sigstore_tuf__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(349);
/* harmony import */ var _build_release_run_contract__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7688);
/* harmony import */ var _verify_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4942);
// Which trusted root verifies the attestations, and how it is obtained.
//   - public repositories: Sigstore's public-good root, from its TUF
//     repository through @sigstore/tuf. The client starts from the root
//     metadata shipped in the package, fetches the signed, expiring
//     timestamp/snapshot/targets metadata on each run (so a key rotation or
//     revocation reaches deploy without a new release of this action) and
//     caches it; a stale or tampered copy fails its signature or expiry check.
//   - private and internal repositories: GitHub's own Sigstore instance, whose
//     root GitHub publishes through its own TUF repository
//     (https://tuf-repo.github.com, what `gh attestation verify` reads). The
//     client is the same; its initial root metadata is not shipped in
//     @sigstore/tuf, and github.com could not be reached to take it, so that
//     path refuses with a clear message until it is given (see docs/security.md).
//   - `BRR_SIGSTORE_TRUSTED_ROOT`: a trusted_root.json file, for the local
//     stand-in in tests and the demo.





const GITHUB_TUF_MIRROR = 'https://tuf-repo.github.com';
/** Pure: the root for this repository, or the file the environment names. */
function trustedRootSource(visibility, env) {
    const file = env['BRR_SIGSTORE_TRUSTED_ROOT'];
    if (file)
        return { kind: 'file', path: file };
    return visibility === 'public'
        ? { kind: 'tuf', instance: 'public-good', mirrorURL: _sigstore_tuf__WEBPACK_IMPORTED_MODULE_2__.DEFAULT_MIRROR_URL }
        : { kind: 'tuf', instance: 'github', mirrorURL: GITHUB_TUF_MIRROR };
}
const OPT_OUT = "set 'verify-provenance: false' to deploy without provenance";
/** The trusted root JSON, or a ProvenanceError saying which root could not be had and why. */
async function loadTrustedRoot(source, deps = {}) {
    if (source.kind === 'file') {
        try {
            const json = JSON.parse(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)(source.path, 'utf8'));
            // fromJSON fills what is missing with defaults: check that this is a root that can verify anything.
            const root = _sigstore_protobuf_specs__WEBPACK_IMPORTED_MODULE_1__.TrustedRoot.fromJSON(json);
            if (!root.mediaType.startsWith('application/vnd.dev.sigstore.trustedroot')) {
                throw new Error(`its mediaType is ${JSON.stringify(root.mediaType)}, not a Sigstore trusted root's`);
            }
            if (root.certificateAuthorities.length === 0)
                throw new Error('it names no certificate authority');
            return json;
        }
        catch (error) {
            throw new _verify_js__WEBPACK_IMPORTED_MODULE_4__/* .ProvenanceError */ .C('trusted root', `The trusted root file BRR_SIGSTORE_TRUSTED_ROOT (${source.path}) cannot be read: ${(0,_build_release_run_contract__WEBPACK_IMPORTED_MODULE_3__/* .errorMessage */ .gJ)(error)}.`);
        }
    }
    const fetchTuf = deps.fetchTuf ?? _sigstore_tuf__WEBPACK_IMPORTED_MODULE_2__.getTrustedRoot;
    try {
        const root = await fetchTuf({
            mirrorURL: source.mirrorURL,
            ...(deps.cachePath === undefined ? {} : { cachePath: deps.cachePath }),
        });
        return _sigstore_protobuf_specs__WEBPACK_IMPORTED_MODULE_1__.TrustedRoot.toJSON(root);
    }
    catch (error) {
        const which = source.instance === 'public-good'
            ? "Sigstore's public-good trusted root"
            : "the trusted root of GitHub's Sigstore instance (private and internal repositories)";
        throw new _verify_js__WEBPACK_IMPORTED_MODULE_4__/* .ProvenanceError */ .C('trusted root', `Could not obtain ${which} from ${source.mirrorURL}: ${(0,_build_release_run_contract__WEBPACK_IMPORTED_MODULE_3__/* .errorMessage */ .gJ)(error)}. Without it no attestation can be verified; ${OPT_OUT}.`, 'verify-provenance');
    }
}


/***/ })

};
