from tortoise import migrations
from tortoise.migrations import operations as ops
from models.enums import FlowPurpose, MfaMethod, Step
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('twofold', '0001_initial')]

    initial = False

    operations = [
        ops.AddField(
            model_name='AuthSession',
            name='second_factor_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Company',
            name='require_authenticator_app',
            field=fields.BooleanField(default=False, description='All users of the company must use an authenticator app.', db_default=False),
        ),
        ops.AlterField(
            model_name='MfaFlow',
            name='purpose',
            field=fields.CharEnumField(description='ENROLLMENT: enrollment\nLOGIN: login\nADD_AUTHENTICATOR_APP: add_authenticator_app\nCHANGE_PHONE_NUMBER: change_phone_number\nREGENERATE_RECOVERY_CODE: regenerate_recovery_code', enum_type=FlowPurpose, max_length=32),
        ),
        ops.AlterField(
            model_name='MfaFlow',
            name='step',
            field=fields.CharEnumField(description='SETUP_REQUIRED: setup_required\nMETHOD_SELECTION: method_selection\nPHONE_NUMBER_ENTRY: phone_number_entry\nCODE_VERIFICATION: code_verification\nAUTHENTICATOR_APP_SCAN: authenticator_app_scan\nRECOVERY_CODE_SAVE: recovery_code_save\nCHALLENGE: challenge\nCOMPLETE: complete', enum_type=Step, max_length=32),
        ),
        ops.AddField(
            model_name='MfaFlow',
            name='totp_attempts',
            field=fields.IntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name='MfaFlow',
            name='totp_secret_sealed',
            field=fields.TextField(null=True, unique=False),
        ),
        ops.AddField(
            model_name='User',
            name='preferred_method',
            field=fields.CharEnumField(null=True, description='SMS: sms\nAUTHENTICATOR_APP: authenticator_app', enum_type=MfaMethod, max_length=32),
        ),
        ops.AddField(
            model_name='User',
            name='totp_added_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='User',
            name='totp_last_step',
            field=fields.BigIntField(null=True),
        ),
        ops.AddField(
            model_name='User',
            name='totp_secret_sealed',
            field=fields.TextField(null=True, unique=False),
        ),
    ]
