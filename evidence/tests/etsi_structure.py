"""Checks an evidence XML against the clauses of ETSI EN 319 522-3 that Pli follows
(docs/evidence-events.md, "The attached XML"), with Python's own XML parser.

    python3 etsi_structure.py EVIDENCE.xml EVENT_URI [REQUIRED_ELEMENT ...]

EVENT_URI is the ERDSEventId the evidence must carry; each REQUIRED_ELEMENT (SenderDetails,
RecipientDetails, SubmissionTime) must be present. Prints "ok", or the first clause broken and
exits 1.
"""

import re
import sys
import xml.etree.ElementTree as ET

ETSI = "http://uri.etsi.org/19522/v1#"
PLI = "urn:pli:evidence:1"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")

# X2: the children of Evidence, in order: (name, least, most).
SEQUENCE = [
    ("EvidenceIdentifier", 1, 1),
    ("ERDSEventId", 1, 1),
    ("EventReasons", 0, 1),
    ("EventTime", 1, 1),
    ("SubmissionTime", 0, 1),
    ("EvidenceIssuerPolicyID", 0, 1),
    ("EvidenceIssuerDetails", 1, 1),
    ("SenderDetails", 0, 1),
    ("RecipientDetails", 0, 1),
    ("Extensions", 0, 1),
]


def fail(clause, message):
    print(f"{clause}: {message}")
    sys.exit(1)


def etsi(name):
    return f"{{{ETSI}}}{name}"


def local(element):
    namespace, _, name = element.tag[1:].partition("}")
    return namespace, name


def check_sequence(clause, parent, sequence):
    """The children of parent follow sequence [(name, least, most)], all in ETSI's namespace."""
    children = list(parent)
    i = 0
    for name, least, most in sequence:
        n = 0
        while i < len(children) and children[i].tag == etsi(name):
            i += 1
            n += 1
        if not least <= n <= most:
            fail(clause, f"{local(parent)[1]} has {n} {name}, expected {least}..{most}")
    if i != len(children):
        fail(clause, f"unexpected {children[i].tag} in {local(parent)[1]} (order or name)")


def check_entity(clause, entity):
    """X5: an entity: NamesPostalAddresses/NamePostalAddress+/EntityName/Name+, then an
    optional ElectronicAddress (a URI), then an optional Identity of SAML 2.0 attributes."""
    check_sequence(
        clause,
        entity,
        [("NamesPostalAddresses", 1, 1), ("ElectronicAddress", 0, 1), ("Identity", 0, 1)],
    )
    names = entity.find(etsi("NamesPostalAddresses"))
    check_sequence(clause, names, [("NamePostalAddress", 1, 99)])
    for address in names:
        check_sequence(clause, address, [("EntityName", 1, 1)])
        check_sequence(clause, address[0], [("Name", 1, 99)])
        for name in address[0]:
            if not (name.text or "").strip():
                fail(clause, "an empty entity name")
    electronic = entity.find(etsi("ElectronicAddress"))
    if electronic is not None and not re.match(r"^[a-z][a-z0-9+.-]*:\S", electronic.text or ""):
        fail(clause, f"the electronic address {electronic.text!r} is not a URI")
    identity = entity.find(etsi("Identity"))
    if identity is not None:
        if len(identity) == 0:
            fail(clause, "an empty Identity")
        for attribute in identity:
            if attribute.tag != f"{{{SAML}}}Attribute" or not attribute.get("Name"):
                fail(clause, f"{attribute.tag} in Identity is not a named saml:Attribute")
            values = list(attribute)
            if not values or any(v.tag != f"{{{SAML}}}AttributeValue" for v in values):
                fail(clause, "a saml:Attribute without saml:AttributeValue")


def main():
    path, event, *required = sys.argv[1:]
    root = ET.parse(path).getroot()

    # X1: the root is ETSI's Evidence, with a version.
    if root.tag != etsi("Evidence"):
        fail("X1", f"the root is {root.tag}")
    if not root.get("version"):
        fail("X1", "no version attribute")

    # X2: the standard's elements, in the standard's order.
    check_sequence("X2", root, SEQUENCE)
    for name in required:
        if root.find(etsi(name)) is None:
            fail("X2", f"no {name}, which this event requires")

    # X3: the event identifier.
    if root.findtext(etsi("ERDSEventId")) != event:
        fail("X3", f"ERDSEventId is {root.findtext(etsi('ERDSEventId'))!r}, not {event!r}")

    # X4: UTC times; the policy as a URN of its OID.
    for name in ("EventTime", "SubmissionTime"):
        text = root.findtext(etsi(name))
        if text is not None and not TIME.match(text):
            fail("X4", f"{name} {text!r} is not an xs:dateTime in UTC")
    policy = root.find(etsi("EvidenceIssuerPolicyID"))
    if policy is not None:
        check_sequence("X4", policy, [("PolicyID", 1, 99)])
        for oid in policy:
            if not re.match(r"^urn:oid:[0-2](\.\d+)+$", oid.text or ""):
                fail("X4", f"PolicyID {oid.text!r} is not urn:oid:")

    # X5: every entity as the standard structures one.
    for name in ("EvidenceIssuerDetails", "SenderDetails", "RecipientDetails"):
        entity = root.find(etsi(name))
        if entity is not None:
            check_entity("X5", entity)

    # X6: Pli's own elements only inside Extensions/Extension, in Pli's namespace.
    extensions = root.find(etsi("Extensions"))
    if extensions is not None:
        check_sequence("X6", extensions, [("Extension", 1, 99)])
        for extension in extensions:
            if len(extension) == 0 or any(local(c)[0] == ETSI for c in extension):
                fail("X6", "an Extension must hold elements of another namespace")
    inside = set()
    if extensions is not None:
        inside = {id(e) for e in extensions.iter()}
    for element in root.iter():
        namespace, name = local(element)
        if namespace not in (ETSI, SAML) and id(element) not in inside:
            fail("X6", f"{name} ({namespace}) outside Extensions")
        if namespace == SAML and not any(
            element in list(identity.iter()) for identity in root.iter(etsi("Identity"))
        ):
            fail("X6", f"saml:{name} outside an Identity")

    print("ok")


if __name__ == "__main__":
    main()
