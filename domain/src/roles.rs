//! The trusted roles of the service and who may hold them together (OPS-01; policy §13.1.2,
//! §13.1.3), and the dual control that grants and removes them (OPS-06, §13.6.4).
//!
//! A role is granted by a security officer, approved by a second one, and takes effect only
//! once the person explicitly accepts it (§13.1.3: "L'attribution d'un rôle de confiance est
//! formalisée entre un responsable de la sécurité du service et le personnel qui accepte
//! explicitement ce rôle"). The forbidden combinations of §13.1.2 are refused when a role is
//! requested, against the roles the person holds or has been offered.

use std::fmt;

/// How long a dual-control request waits for its approval.
pub const DUAL_CONTROL_HOURS: i64 = 24;

/// A trusted role (§13.1.3), with the code it is stored under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TrustedRole {
    /// Responsable de la sécurité: applies the security policy, grants the trusted roles.
    SecurityOfficer,
    /// Responsable du cachet: answers for the seal key and its certificate.
    SealOfficer,
    /// Responsable de la gestion du service: supervises the service, major incidents.
    ServiceManager,
    /// Administrateur système.
    SystemAdministrator,
    /// Opérateur système.
    SystemOperator,
    /// Opérateur commercial: customers and their contracts, day to day.
    BusinessOperator,
    /// Auditeur système: reads the journal and the audit archives, nothing else.
    SystemAuditor,
    /// Opérateur de contrôle d'identité: checks the documents of a manual verification.
    IdentityCheckOperator,
    /// Responsable de la vérification d'identité.
    IdentityVerificationManager,
    /// Archiviste.
    Archivist,
}

impl TrustedRole {
    /// Every trusted role, in the policy's order.
    pub const ALL: [TrustedRole; 10] = [
        TrustedRole::SecurityOfficer,
        TrustedRole::SealOfficer,
        TrustedRole::ServiceManager,
        TrustedRole::SystemAdministrator,
        TrustedRole::SystemOperator,
        TrustedRole::BusinessOperator,
        TrustedRole::SystemAuditor,
        TrustedRole::IdentityCheckOperator,
        TrustedRole::IdentityVerificationManager,
        TrustedRole::Archivist,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            TrustedRole::SecurityOfficer => "security_officer",
            TrustedRole::SealOfficer => "seal_officer",
            TrustedRole::ServiceManager => "service_manager",
            TrustedRole::SystemAdministrator => "system_administrator",
            TrustedRole::SystemOperator => "system_operator",
            TrustedRole::BusinessOperator => "business_operator",
            TrustedRole::SystemAuditor => "system_auditor",
            TrustedRole::IdentityCheckOperator => "identity_check_operator",
            TrustedRole::IdentityVerificationManager => "identity_verification_manager",
            TrustedRole::Archivist => "archivist",
        }
    }

    /// The role stored under `code`.
    pub fn from_code(code: &str) -> Option<TrustedRole> {
        TrustedRole::ALL
            .into_iter()
            .find(|role| role.code() == code)
    }

    /// Whether one person may hold both `self` and `other` (§13.1.2): never a security
    /// officer with a system administrator or operator, a system auditor with any other role,
    /// or a system administrator with a system operator.
    pub fn compatible_with(self, other: TrustedRole) -> bool {
        use TrustedRole::*;
        if self == other {
            return true;
        }
        let pair = |a, b| (self == a && other == b) || (self == b && other == a);
        !(self == SystemAuditor
            || other == SystemAuditor
            || pair(SecurityOfficer, SystemAdministrator)
            || pair(SecurityOfficer, SystemOperator)
            || pair(SystemAdministrator, SystemOperator))
    }

    /// Whether a person holding (or offered) `held` may be offered `self`: the first held role
    /// it may not be combined with, if any.
    pub fn conflict_with(self, held: &[TrustedRole]) -> Option<TrustedRole> {
        held.iter()
            .copied()
            .find(|other| !self.compatible_with(*other))
    }
}

impl fmt::Display for TrustedRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Where a role assignment stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssignmentStatus {
    /// Approved under dual control; waits for the person to accept it.
    Offered,
    /// Accepted: the role is in effect.
    Active,
    /// Declined by the person.
    Declined,
    /// Removed under dual control.
    Removed,
}

impl AssignmentStatus {
    pub fn code(self) -> &'static str {
        match self {
            AssignmentStatus::Offered => "offered",
            AssignmentStatus::Active => "active",
            AssignmentStatus::Declined => "declined",
            AssignmentStatus::Removed => "removed",
        }
    }

    pub fn from_code(code: &str) -> Option<AssignmentStatus> {
        [
            AssignmentStatus::Offered,
            AssignmentStatus::Active,
            AssignmentStatus::Declined,
            AssignmentStatus::Removed,
        ]
        .into_iter()
        .find(|status| status.code() == code)
    }

    /// Whether the role counts against the forbidden combinations (offered or in effect).
    pub fn holds(self) -> bool {
        matches!(self, AssignmentStatus::Offered | AssignmentStatus::Active)
    }
}

/// Where a dual-control request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestStatus {
    /// Waits for a second trusted person, for [`DUAL_CONTROL_HOURS`].
    Pending,
    /// Approved by a second person and carried out.
    Executed,
    /// Refused by a second person, or withdrawn by its requester.
    Rejected,
    /// Not approved in time.
    Expired,
}

impl RequestStatus {
    pub fn code(self) -> &'static str {
        match self {
            RequestStatus::Pending => "pending",
            RequestStatus::Executed => "executed",
            RequestStatus::Rejected => "rejected",
            RequestStatus::Expired => "expired",
        }
    }

    pub fn from_code(code: &str) -> Option<RequestStatus> {
        [
            RequestStatus::Pending,
            RequestStatus::Executed,
            RequestStatus::Rejected,
            RequestStatus::Expired,
        ]
        .into_iter()
        .find(|status| status.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::TrustedRole::*;
    use super::*;

    #[test]
    fn the_forbidden_combinations_of_the_policy() {
        for role in TrustedRole::ALL {
            assert!(role.compatible_with(role));
            assert_eq!(TrustedRole::from_code(role.code()), Some(role));
            if role != SystemAuditor {
                assert!(!SystemAuditor.compatible_with(role), "{role}");
                assert!(!role.compatible_with(SystemAuditor), "{role}");
            }
        }
        for (a, b) in [
            (SecurityOfficer, SystemAdministrator),
            (SecurityOfficer, SystemOperator),
            (SystemAdministrator, SystemOperator),
        ] {
            assert!(!a.compatible_with(b) && !b.compatible_with(a), "{a} {b}");
        }
        for (a, b) in [
            (SecurityOfficer, SealOfficer),
            (SecurityOfficer, ServiceManager),
            (SystemAdministrator, Archivist),
            (IdentityCheckOperator, IdentityVerificationManager),
            (BusinessOperator, SystemOperator),
        ] {
            assert!(a.compatible_with(b) && b.compatible_with(a), "{a} {b}");
        }
        assert_eq!(
            SystemOperator.conflict_with(&[SealOfficer, SecurityOfficer]),
            Some(SecurityOfficer)
        );
        assert_eq!(SealOfficer.conflict_with(&[SecurityOfficer]), None);
        assert_eq!(TrustedRole::from_code("root"), None);
    }
}
