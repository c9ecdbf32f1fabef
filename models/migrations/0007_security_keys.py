from tortoise import migrations
from tortoise.migrations import operations as ops
from models.enums import FlowPurpose, MfaMethod, Step
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('twofold', '0006_flow_expiry')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SecurityKey',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('twofold.User', source_field='user_id', db_constraint=True, to_field='id', related_name='security_keys', on_delete=OnDelete.CASCADE)),
                ('credential_id', fields.CharField(unique=True, description='The credential id, base64url.', max_length=1400)),
                ('public_key', fields.TextField(description='The COSE public key, base64url.', unique=False)),
                ('sign_count', fields.BigIntField(default=0)),
                ('backup_eligible', fields.BooleanField(default=False)),
                ('backed_up', fields.BooleanField(default=False)),
                ('name', fields.CharField(max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('last_used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('enabled_at', fields.DatetimeField(null=True, description='When the key began to count as a factor (null: enrollment unfinished).', auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'security_key', 'app': 'twofold', 'pk_attr': 'id', 'table_description': 'One WebAuthn credential. Only public data is kept: nothing here can sign in by itself.'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='MfaFlow',
            name='method',
            field=fields.CharEnumField(null=True, description='SMS: sms\nAUTHENTICATOR_APP: authenticator_app\nSECURITY_KEY: security_key', enum_type=MfaMethod, max_length=32),
        ),
        ops.AlterField(
            model_name='MfaFlow',
            name='purpose',
            field=fields.CharEnumField(description='ENROLLMENT: enrollment\nLOGIN: login\nREAUTHENTICATION: reauthentication\nADD_AUTHENTICATOR_APP: add_authenticator_app\nCHANGE_PHONE_NUMBER: change_phone_number\nREGENERATE_RECOVERY_CODE: regenerate_recovery_code\nADD_SECURITY_KEY: add_security_key', enum_type=FlowPurpose, max_length=32),
        ),
        ops.AlterField(
            model_name='MfaFlow',
            name='step',
            field=fields.CharEnumField(description='SETUP_REQUIRED: setup_required\nMETHOD_SELECTION: method_selection\nPHONE_NUMBER_ENTRY: phone_number_entry\nCODE_VERIFICATION: code_verification\nAUTHENTICATOR_APP_SCAN: authenticator_app_scan\nRECOVERY_CODE_SAVE: recovery_code_save\nCHALLENGE: challenge\nCOMPLETE: complete\nSECURITY_KEY_REGISTRATION: security_key_registration', enum_type=Step, max_length=32),
        ),
        ops.AddField(
            model_name='MfaFlow',
            name='webauthn_challenge_expires_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='MfaFlow',
            name='webauthn_challenge_hmac',
            field=fields.CharField(null=True, description='Keyed hash of the open WebAuthn challenge.', max_length=64),
        ),
        # User.preferred_method's enum description is left as it was: altering a column of
        # user_account rebuilds the table on SQLite, and its cascades would empty the
        # sessions and flows that point at it.
        ops.AddField(
            model_name='User',
            name='security_key_added_at',
            field=fields.DatetimeField(null=True, description='Set while the user holds at least one enabled security key.', auto_now=False, auto_now_add=False),
        ),
    ]
