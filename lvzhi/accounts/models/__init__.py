from .datachange import DataChangeRequest
from .grants import DataAccessGrant
from .profiles import MemberProfile
from .roles import RoleAssignment
from .security import ApiToken, PasswordHistory, SmsCode
from .user import User

__all__ = [
    "ApiToken",
    "DataAccessGrant",
    "DataChangeRequest",
    "MemberProfile",
    "PasswordHistory",
    "RoleAssignment",
    "SmsCode",
    "User",
]
