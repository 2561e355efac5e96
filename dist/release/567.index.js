export const id = 567;
export const ids = [567];
export const modules = {

/***/ 50567:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   signStatement: () => (/* binding */ signStatement)
/* harmony export */ });
/* harmony import */ var _sigstore_bundle__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(76028);
/* harmony import */ var _sigstore_sign__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(89475);
/* harmony import */ var _statements_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(78728);
// Signs an in-toto statement into a Sigstore bundle with @sigstore/sign:
// a short-lived Fulcio certificate for the workflow's OIDC identity, a DSSE
// envelope, and the transparency-log entry or timestamp that proves when.



async function signStatement(statement, options) {
    const timeout = options.timeoutMs ?? 10_000;
    const retry = options.retries ?? 3;
    const { endpoints } = options;
    const witnesses = [];
    // The local Rekor (@sigstore/mock) records v1 'intoto' entries; a 'dsse'
    // entry it makes fails verification. Both prove the same signature.
    if (endpoints.rekorUrl) {
        witnesses.push(new _sigstore_sign__WEBPACK_IMPORTED_MODULE_1__/* .RekorWitness */ .fU({
            rekorBaseURL: endpoints.rekorUrl,
            entryType: 'intoto',
            fetchOnConflict: true,
            timeout,
            retry,
        }));
    }
    if (endpoints.tsaUrl)
        witnesses.push(new _sigstore_sign__WEBPACK_IMPORTED_MODULE_1__/* .TSAWitness */ .gs({ tsaBaseURL: endpoints.tsaUrl, timeout, retry }));
    const signer = new _sigstore_sign__WEBPACK_IMPORTED_MODULE_1__/* .FulcioSigner */ .$o({
        identityProvider: { getToken: options.identityToken },
        fulcioBaseURL: endpoints.fulcioUrl,
        timeout,
        retry,
    });
    const bundle = await new _sigstore_sign__WEBPACK_IMPORTED_MODULE_1__/* .DSSEBundleBuilder */ .VV({ signer, witnesses }).create({
        data: Buffer.from(JSON.stringify(statement)),
        type: _statements_js__WEBPACK_IMPORTED_MODULE_2__/* .IN_TOTO_PAYLOAD_TYPE */ .T4,
    });
    return (0,_sigstore_bundle__WEBPACK_IMPORTED_MODULE_0__.bundleToJSON)(bundle);
}


/***/ })

};
