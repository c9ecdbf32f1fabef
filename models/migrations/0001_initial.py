from tortoise import migrations
from tortoise.migrations import operations as ops
from models.enums import FlowPurpose, MfaMethod, PayRole, SessionKind, Step
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Company',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('name', fields.CharField(unique=True, max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'company', 'app': 'twofold', 'pk_attr': 'id', 'table_description': 'A customer organisation whose admins reset the MFA of its users.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='User',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('email', fields.CharField(unique=True, max_length=254)),
                ('password_hash', fields.CharField(max_length=255)),
                ('pay_role', fields.CharEnumField(default=PayRole.NONE, description='PAYOR: payor\nPAYEE: payee\nNONE: none', enum_type=PayRole, max_length=16)),
                ('is_company_admin', fields.BooleanField(default=False)),
                ('company', fields.ForeignKeyField('twofold.Company', source_field='company_id', null=True, db_constraint=True, to_field='id', related_name='users', on_delete=OnDelete.SET_NULL)),
                ('phone_e164', fields.CharField(null=True, max_length=20)),
                ('phone_verified_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('recovery_code_hmac', fields.CharField(null=True, max_length=64)),
                ('recovery_code_created_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('mfa_enrolled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'user_account', 'app': 'twofold', 'pk_attr': 'id', 'table_description': 'A user account. The enrolled phone and recovery code are set only when enrollment ends.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AuthSession',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('token_sha256', fields.CharField(unique=True, max_length=64)),
                ('user', fields.ForeignKeyField('twofold.User', source_field='user_id', db_constraint=True, to_field='id', related_name='sessions', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='PENDING: pending\nFULL: full', enum_type=SessionKind, max_length=16)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('last_seen_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('ip_address', fields.CharField(default='', max_length=45)),
                ('user_agent', fields.CharField(default='', max_length=255)),
            ],
            options={'table': 'auth_session', 'app': 'twofold', 'pk_attr': 'id', 'table_description': 'A pending session (password passed, MFA not yet) or a full session (signed in).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MfaFlow',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('session', fields.OneToOneField('twofold.AuthSession', source_field='session_id', db_constraint=True, to_field='id', related_name='flow', on_delete=OnDelete.CASCADE)),
                ('user', fields.ForeignKeyField('twofold.User', source_field='user_id', db_constraint=True, to_field='id', related_name='flows', on_delete=OnDelete.CASCADE)),
                ('purpose', fields.CharEnumField(description='ENROLLMENT: enrollment\nLOGIN: login', enum_type=FlowPurpose, max_length=16)),
                ('step', fields.CharEnumField(description='SETUP_REQUIRED: setup_required\nMETHOD_SELECTION: method_selection\nPHONE_NUMBER_ENTRY: phone_number_entry\nCODE_VERIFICATION: code_verification\nRECOVERY_CODE_SAVE: recovery_code_save\nCHALLENGE: challenge\nCOMPLETE: complete', enum_type=Step, max_length=32)),
                ('method', fields.CharEnumField(null=True, description='SMS: sms\nAUTHENTICATOR_APP: authenticator_app', enum_type=MfaMethod, max_length=32)),
                ('phone_e164', fields.CharField(null=True, max_length=20)),
                ('code_hmac', fields.CharField(null=True, max_length=64)),
                ('code_expires_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('code_attempts', fields.IntField(default=0)),
                ('failures', fields.IntField(default=0)),
                ('codes_sent', fields.IntField(default=0)),
                ('resend_available_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('send_claim', fields.CharField(null=True, max_length=32)),
                ('pending_recovery_code_hmac', fields.CharField(null=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'mfa_flow', 'app': 'twofold', 'pk_attr': 'id', 'table_description': 'Kratos-style flow record: a typed step, an expiry, and code-verification counters.'},
            bases=['Model'],
        ),
    ]
