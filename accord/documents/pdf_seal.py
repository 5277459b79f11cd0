"""The installation's seal on a signed original's PDF (PAdES, pyHanko), and checking it.

Sealing writes the agreement's version (number and sha256) into the PDF's metadata and signs
the whole file in the same incremental update, so the seal covers the metadata too. A
certification signature that allows no changes: any later edit shows as one. Checking needs
no network: the installation's own certificate is the only trust anchor, and nothing is
fetched.
"""

import re
from io import BytesIO

from asn1crypto import core, x509
from pyhanko.keys import load_private_key_from_pemder_data
from pyhanko.keys.pemder import load_certs_from_pemder_data
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation import EmbeddedPdfSignature, validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from accord.documents.seal_values import SealCheck, SealError, SealKey, SealStamp, SealState

SEAL_FIELD = "AccordSeal"
_SUBJECT = re.compile(
    r"^(?P<agreement>\S+), version (?P<number>\d+), sha256 (?P<sha256>[0-9a-f]{64})$"
)


def seal_pdf(pdf: bytes, *, key: SealKey, stamp: SealStamp, location: str = "") -> bytes:
    """The PDF with the version in its metadata and the installation's seal over all of it."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    _describe(writer, stamp)
    signature = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
        reason=f"Signed original of {stamp.agreement}, version {stamp.number}",
        location=location or None,
    )
    try:
        output = signers.sign_pdf(writer, signature, signer=_signer(key))
    except SigningError as error:
        raise SealError(f"the PDF could not be sealed: {error}") from error
    return bytes(output.getvalue())


def _describe(writer: IncrementalPdfFileWriter, stamp: SealStamp) -> None:
    """Title and subject in the info dictionary and in XMP alike, as PDF/A requires.

    pyHanko updates only the info entries that exist when the file has XMP metadata, and
    writes its own name as the XMP producer: so the entries are set here first.
    """
    if "/Info" in writer.trailer:
        reference = writer.trailer.raw_get("/Info")
        info = reference.get_object()
        for name, text in (("/Title", stamp.title), ("/Subject", stamp.subject)):
            info[generic.pdf_name(name)] = generic.TextStringObject(text)
        info[generic.pdf_name("/Producer")] = generic.TextStringObject(VENDOR)
        writer.mark_update(reference)
    writer.document_meta.title = stamp.title
    writer.document_meta.subject = stamp.subject


def _signer(key: SealKey) -> signers.SimpleSigner:
    try:
        private_key = load_private_key_from_pemder_data(key.key_pem, passphrase=key.password)
        certificates = list(load_certs_from_pemder_data(key.cert_pem))
    except (ValueError, TypeError) as error:
        raise SealError(f"the seal's key or certificate cannot be read: {error}") from error
    if not certificates:
        raise SealError("the seal's certificate file holds no certificate")
    registry = SimpleCertificateStore()  # type: ignore[no-untyped-call]  # pyhanko's own type
    registry.register_multiple(certificates[1:])
    return signers.SimpleSigner(
        signing_cert=certificates[0], signing_key=private_key, cert_registry=registry
    )


def check_seal(pdf: bytes, *, trusted_cert_pem: bytes | None = None) -> SealCheck:
    """Intact (every byte as sealed), altered, or not sealed at all; never fetches anything."""
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        seals = reader.embedded_regular_signatures
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as error:
        return SealCheck(SealState.altered, reason=f"the file cannot be read as a PDF ({error})")
    if not seals:
        return SealCheck(SealState.not_sealed, reason="the PDF carries no seal")
    seal = seals[-1]
    try:
        status = validate_pdf_signature(
            seal,
            signer_validation_context=_context(trusted_cert_pem),
            skip_diff=True,
        )
    except (SignatureValidationError, PdfError, ValueError, KeyError, TypeError) as error:
        return SealCheck(SealState.altered, reason=f"the seal cannot be checked ({error})")
    if not (status.intact and status.valid):
        return SealCheck(SealState.altered, reason="the content differs from what was sealed")
    if status.coverage is not SignatureCoverageLevel.ENTIRE_FILE or len(seals) > 1:
        problem = "the file was changed after sealing"
    elif not _only_padding_after_signature(seal):
        problem = "the seal's own bytes were changed"
    else:
        problem = ""
    return SealCheck(
        SealState.altered if problem else SealState.intact,
        reason=problem,
        sealed_by=_holder(status.signing_cert),
        sealed_at=status.signer_reported_dt,
        stamp=None if problem else _stamp(reader),
        trusted=bool(status.trusted) and not problem,
    )


def _holder(cert: x509.Certificate) -> str:
    """The certificate's name, then its organisation: "Accord document seal (Ministry …)"."""
    names = cert.subject.native
    common, organisation = names.get("common_name", ""), names.get("organization_name", "")
    if organisation and organisation not in common:
        return f"{common} ({organisation})" if common else organisation
    return str(common or cert.subject.human_friendly)


def _context(trusted_cert_pem: bytes | None) -> ValidationContext:
    roots = list(load_certs_from_pemder_data(trusted_cert_pem)) if trusted_cert_pem else []
    return ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")


def _only_padding_after_signature(seal: EmbeddedPdfSignature) -> bool:
    """The reserved space after the signature must still be zeros: DER parsing ignores it."""
    contents = bytes(seal.sig_object.raw_get("/Contents"))
    parsed = core.Asn1Value.load(contents, strict=False)
    used = len(parsed.dump())
    return not any(contents[used:])


def _stamp(reader: PdfFileReader) -> SealStamp | None:
    meta = reader.document_meta_view
    match = _SUBJECT.match(str(meta.subject or ""))
    if match is None:
        return None
    return SealStamp(
        agreement=match["agreement"],
        title=str(meta.title or ""),
        number=int(match["number"]),
        sha256=match["sha256"],
    )
