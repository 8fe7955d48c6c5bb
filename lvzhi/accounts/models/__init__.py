from .grants import DataAccessGrant
from .profiles import MemberProfile
from .roles import RoleAssignment
from .security import ApiToken, PasswordHistory, SmsCode
from .user import User

__all__ = [
    "ApiToken",
    "DataAccessGrant",
    "MemberProfile",
    "PasswordHistory",
    "RoleAssignment",
    "SmsCode",
    "User",
]
