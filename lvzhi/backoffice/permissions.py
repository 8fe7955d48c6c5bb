from lvzhi.accounts.permissions import role_codes
from lvzhi.accounts.roles import Role

BACKOFFICE_ROLES = {
    Role.STAFF,
    Role.HEAD,
    Role.LEADER,
    Role.INFO_OFFICE,
    Role.SECRECY_OFFICE,
    Role.HOTLINE,
    Role.HANDLING,
    Role.NM_COMPETENT,
    Role.SYSADMIN,
    Role.SECADMIN,
    Role.AUDITADMIN,
}


def may_enter_backoffice(user) -> bool:
    return bool(role_codes(user) & BACKOFFICE_ROLES)
