"""Validates a PAdES-B-LT/B-LTA evidence PDF with pyHanko, offline, using only what the PDF
contains (docs/long-term.md):

    python3 ltv_validate.py EVIDENCE.pdf ROOTS.pem [VALIDATION_TIME]

- every signature (the seal), when the PDF holds document time-stamps (B-LTA): AdES
  long-term validation (ETSI EN 319 102-1 §5.6.3, `ades_lta_validation`), trust anchors the
  certificates of ROOTS.pem only, revocation information required, no online fetching of revocation data or
  certificates, pyHanko's default modification analysis of the later revisions;
- every signature, when the PDF holds none (B-LT): `validate_pdf_signature` with a validation
  context made of the DSS only (`DocumentSecurityStore.as_validation_context`), revocation
  checking `hard-fail`, no fetching;
- every document time-stamp: integrity, signature and trust (`validate_pdf_timestamp`,
  no fetching).

VALIDATION_TIME (ISO 8601, e.g. 2031-05-02T10:00:00+00:00) validates as at that moment
instead of now. The PDF cannot hold revocation data from the future: the status of the *last*
document time-stamp's TSA certificate at that moment is what a validator then obtains from
outside (its CA's OCSP responder or a trusted list). The script stands in for it with a
`NonRevokedStatusAssertion` for that one certificate at VALIDATION_TIME, as pyHanko's own
`simulate_future_ades_lta_validation` does; everything else (the seal, its signature
time-stamp, earlier document time-stamps) is validated from what the PDF contains.

Prints one line per signature and exits 0 when all passed, 1 otherwise.
"""

import asyncio
import sys
from datetime import datetime, timezone

from pyhanko.keys import load_certs_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESPassed
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.ades import ades_lta_validation
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.policy_decl import (
    CertificateFetchingRule,
    LocalKnowledge,
    PdfSignatureValidationSpec,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
    SignatureValidationSpec,
)
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.ltv.types import ValidationTimingInfo
from pyhanko_certvalidator.policy_decl import (
    REQUIRE_REVINFO,
    NonRevokedStatusAssertion,
    CertRevTrustPolicy,
    FreshnessReqType,
)
from pyhanko_certvalidator.registry import SimpleTrustManager


def lta_spec(roots, assertions):
    """Trust ROOTS only, revocation data required, nothing fetched."""
    return PdfSignatureValidationSpec(
        signature_validation_spec=SignatureValidationSpec(
            cert_validation_policy=CertValidationPolicySpec(
                trust_manager=SimpleTrustManager.build(trust_roots=roots),
                revinfo_policy=CertRevTrustPolicy(
                    REQUIRE_REVINFO,
                    freshness=None,
                    freshness_req_type=FreshnessReqType.MAX_DIFF_REVOCATION_VALIDATION,
                ),
            ),
            revinfo_gathering_policy=RevocationInfoGatheringSpec(
                online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY,
                certificate_fetching_rule=CertificateFetchingRule.NEVER_FETCH,
            ),
            local_knowledge=LocalKnowledge(nonrevoked_assertions=assertions),
        ),
        diff_policy=DEFAULT_DIFF_POLICY,
    )


def main(pdf_path, roots_path, at=None):
    roots = list(load_certs_from_pemder([roots_path]))
    if at is None:
        timing = ValidationTimingInfo.now(tz=timezone.utc)
        moment = None
    else:
        moment = datetime.fromisoformat(at)
        timing = ValidationTimingInfo(moment, moment, point_in_time_validation=True)
    ok = True
    with open(pdf_path, "rb") as f:
        reader = PdfFileReader(f)
        signatures = reader.embedded_regular_signatures
        timestamps = reader.embedded_timestamp_signatures
        if not signatures:
            print("no signature")
            ok = False
        assertions = []
        if moment is not None and timestamps:
            assertions.append(
                NonRevokedStatusAssertion(timestamps[-1].signer_cert.sha256, at=moment)
            )
        for sig in signatures:
            if timestamps:
                result = asyncio.run(
                    ades_lta_validation(
                        sig, lta_spec(roots, assertions), timing_info=timing
                    )
                )
                passed = result.ades_subindic == AdESPassed.OK
                level = getattr(result.api_status, "modification_level", None)
                print(
                    f"signature {sig.field_name}: B-LTA {result.ades_subindic}"
                    f" (modification level {level}, oldest evidence record"
                    f" time-stamp {result.oldest_evidence_record_timestamp})"
                )
                details = result.api_status
                if not passed:
                    print(f"  failure: {result.failure_msg}")
            else:
                dss = DocumentSecurityStore.read_dss(reader)
                context = dss.as_validation_context(
                    {
                        "trust_roots": roots,
                        "allow_fetching": False,
                        "revocation_mode": "hard-fail",
                        "moment": moment,
                    }
                )
                details = validate_pdf_signature(sig, signer_validation_context=context)
                passed = details.bottom_line
                print(
                    f"signature {sig.field_name}: B-LT bottom line {details.bottom_line}"
                    f" (modification level {details.modification_level},"
                    f" revocation checked from the DSS only)"
                )
            ok &= passed
            if not passed and details is not None:
                print(details.pretty_print_details())
        for ts in timestamps:
            context = ValidationContext(
                trust_roots=roots, allow_fetching=False, moment=moment
            )
            status = validate_pdf_timestamp(ts, validation_context=context)
            passed = status.intact and status.valid and status.trusted
            ok &= passed
            print(
                f"document time-stamp {ts.field_name}: intact={status.intact}"
                f" valid={status.valid} trusted={status.trusted}"
                f" at {status.timestamp}"
            )
            if not passed:
                print(status.pretty_print_details())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
