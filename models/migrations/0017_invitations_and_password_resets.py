from tortoise import migrations
from tortoise.migrations import operations as ops
from models.enums import FlowPurpose, PayRole
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields

class AlterFieldStateOnly(ops.AlterField):
    """Records MfaFlow.purpose's new description (its enum gained PASSWORD_RESET) without
    touching the table: the column stays VARCHAR(32), and rebuilding it on SQLite is needless."""

    async def database_forward(self, app_label, old_state, new_state, state_editor=None):
        return None

    async def database_backward(self, app_label, old_state, new_state, state_editor=None):
        return None


class Migration(migrations.Migration):
    dependencies = [('twofold', '0016_sso')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Invitation',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('token_hmac', fields.CharField(unique=True, max_length=64)),
                ('email', fields.CharField(db_index=True, max_length=254)),
                ('pay_role', fields.CharEnumField(description='PAYOR: payor\nPAYEE: payee\nNONE: none', enum_type=PayRole, max_length=16)),
                ('is_company_admin', fields.BooleanField(default=False)),
                ('company', fields.ForeignKeyField('twofold.Company', source_field='company_id', db_constraint=True, to_field='id', related_name='invitations', on_delete=OnDelete.CASCADE)),
                ('invited_by', fields.ForeignKeyField('twofold.User', source_field='invited_by_id', null=True, db_constraint=True, to_field='id', related_name='invitations_sent', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('sent_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('accepted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'invitation', 'app': 'twofold', 'pk_attr': 'id', 'table_description': "One single-use link to open an account, of which only a keyed hash is kept."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PasswordReset',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('token_hmac', fields.CharField(unique=True, max_length=64)),
                ('user', fields.ForeignKeyField('twofold.User', source_field='user_id', db_constraint=True, to_field='id', related_name='password_resets', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('session', fields.ForeignKeyField('twofold.AuthSession', source_field='session_id', null=True, db_constraint=True, to_field='id', related_name='password_resets', on_delete=OnDelete.SET_NULL)),
                ('new_password_hash', fields.CharField(null=True, max_length=255)),
                ('completed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'password_reset', 'app': 'twofold', 'pk_attr': 'id', 'table_description': 'One emailed reset link. Only a keyed hash of its token is kept. A user with a second'},
            bases=['Model'],
        ),
        AlterFieldStateOnly(
            model_name='MfaFlow',
            name='purpose',
            field=fields.CharEnumField(description='ENROLLMENT: enrollment\nLOGIN: login\nREAUTHENTICATION: reauthentication\nADD_AUTHENTICATOR_APP: add_authenticator_app\nCHANGE_PHONE_NUMBER: change_phone_number\nREGENERATE_RECOVERY_CODE: regenerate_recovery_code\nADD_SECURITY_KEY: add_security_key\nPASSWORD_RESET: password_reset', enum_type=FlowPurpose, max_length=32),
        ),
    ]
