export const id = 811;
export const ids = [811];
export const modules = {

/***/ 76811:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   downloadBuildArtifact: () => (/* binding */ downloadBuildArtifact),
/* harmony export */   uploadBuildArtifact: () => (/* binding */ uploadBuildArtifact)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _actions_artifact__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(34692);
/* harmony import */ var _build_release_run_contract__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7688);
/* harmony import */ var _build_release_run_progress__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(54272);
/* harmony import */ var _deadline_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(16978);
/**
 * The build archive as a workflow artifact, through @actions/artifact (the
 * library inside actions/upload-artifact and download-artifact): named from
 * the digest alone (artifactNameForDigest), stored as upload-artifact stores
 * it (a zip with no compression: the archive is compressed already), and
 * checked against the digest the service recorded at upload when it comes
 * back. Its own module (package export `./build-artifact`), imported only
 * when the job has artifact storage (hasArtifactStorage): the client and the
 * Azure SDK are most of a bundle's start-up time, and deploy never needs them.
 *
 * The client takes no abort signal and its service requests have no timeout
 * (toolkit packages/artifact/src/internal/shared/artifact-twirp-client.ts):
 * each call waits under the action's deadline (serviceAnswer), so a service
 * that never answers fails the action at its deadline, saying so.
 */






const SERVICE = 'the artifact service';
/**
 * `files`: the archive, or an image build's manifest and record; all in one
 * folder. The size is said once, in binary units; how far the upload is,
 * the library says itself (its `Uploaded bytes N` lines, as upload-artifact
 * prints them).
 */
async function uploadBuildArtifact(files, digest, retentionDays, deadline, log) {
    const client = new _actions_artifact__WEBPACK_IMPORTED_MODULE_2__/* .DefaultArtifactClient */ .t9();
    const name = (0,_build_release_run_contract__WEBPACK_IMPORTED_MODULE_3__/* .artifactNameForDigest */ .Ps)(digest);
    // Same name means same digest means same bytes: replacing an artifact left
    // by an earlier attempt of this job is safe (upload-artifact's `overwrite`).
    try {
        await (0,_deadline_js__WEBPACK_IMPORTED_MODULE_5__/* .serviceAnswer */ .AK)(deadline, { service: SERVICE, for: `whether artifact '${name}' exists` }, () => client.deleteArtifact(name));
    }
    catch (error) {
        if (!(error instanceof _actions_artifact__WEBPACK_IMPORTED_MODULE_2__/* .ArtifactNotFoundError */ .CL))
            throw error;
    }
    const list = typeof files === 'string' ? [files] : [...files];
    // The zip stores the files as they are: its size is theirs and a few hundred bytes of headers.
    const total = (await Promise.all(list.map(async (file) => (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.stat)(file)).size))).reduce((a, b) => a + b, 0);
    log?.info(`Uploading the build artifact '${name}' (${(0,_build_release_run_progress__WEBPACK_IMPORTED_MODULE_4__/* .formatBytes */ .z3)(total)}).`);
    const { id } = await (0,_deadline_js__WEBPACK_IMPORTED_MODULE_5__/* .serviceAnswer */ .AK)(deadline, { service: SERVICE, for: `the upload of artifact '${name}'` }, () => client.uploadArtifact(name, list, node_path__WEBPACK_IMPORTED_MODULE_1___default().dirname(list[0] ?? ''), {
        compressionLevel: 0,
        ...(retentionDays === undefined ? {} : { retentionDays }),
    }));
    if (id === undefined)
        throw new Error(`The artifact service did not return an id for artifact '${name}'.`);
    return { name, id };
}
/** Downloads the build artifact of this workflow run into `directory`; refuses bytes that changed since upload. */
async function downloadBuildArtifact(digest, directory, deadline) {
    const client = new _actions_artifact__WEBPACK_IMPORTED_MODULE_2__/* .DefaultArtifactClient */ .t9();
    const name = (0,_build_release_run_contract__WEBPACK_IMPORTED_MODULE_3__/* .artifactNameForDigest */ .Ps)(digest);
    let found;
    try {
        found = await (0,_deadline_js__WEBPACK_IMPORTED_MODULE_5__/* .serviceAnswer */ .AK)(deadline, { service: SERVICE, for: `where artifact '${name}' is` }, () => client.getArtifact(name));
    }
    catch (error) {
        if (!(error instanceof _actions_artifact__WEBPACK_IMPORTED_MODULE_2__/* .ArtifactNotFoundError */ .CL))
            throw error;
        throw new _build_release_run_contract__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j1(`Input 'digest': this workflow run has no artifact '${name}'. Run the build action in an earlier job of this run (and list it in 'needs:'), and pass its 'digest' output; or give 'archive'.`);
    }
    const artifact = found.artifact;
    const { digestMismatch } = await (0,_deadline_js__WEBPACK_IMPORTED_MODULE_5__/* .serviceAnswer */ .AK)(deadline, { service: SERVICE, for: `the download of artifact '${name}'` }, () => client.downloadArtifact(artifact.id, {
        path: directory,
        ...(artifact.digest ? { expectedHash: artifact.digest } : {}),
    }));
    if (digestMismatch) {
        throw new Error(`The build artifact '${name}' changed after it was uploaded: the downloaded bytes do not match the digest recorded at upload (${found.artifact.digest}). Nothing was created; re-run the build job.`);
    }
}


/***/ })

};
