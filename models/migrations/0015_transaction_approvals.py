from tortoise import migrations
from tortoise.migrations import operations as ops
from models.enums import MfaMethod
from models.transaction_approval import ApprovalStatus, TransactionAction
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('twofold', '0014_webhooks')]

    initial = False

    operations = [
        ops.CreateModel(
            name='TransactionApproval',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('twofold.User', source_field='user_id', db_constraint=True, to_field='id', related_name='transaction_approvals', on_delete=OnDelete.CASCADE)),
                ('service_client', fields.ForeignKeyField('twofold.ServiceClient', source_field='service_client_id', db_constraint=True, to_field='id', related_name='transaction_approvals', on_delete=OnDelete.CASCADE)),
                ('action', fields.CharEnumField(description='DISBURSEMENT: disbursement\nBANK_ACCOUNT_CHANGE: bank_account_change\nAGREEMENT_SIGNATURE: agreement_signature\nPAYMENTS_ACCESS: payments_access', enum_type=TransactionAction, max_length=32)),
                ('amount_minor', fields.BigIntField(null=True)),
                ('currency', fields.CharField(null=True, max_length=3)),
                ('payee_name', fields.CharField(null=True, max_length=140)),
                ('payee_reference', fields.CharField(null=True, max_length=64)),
                ('description', fields.CharField(null=True, max_length=280)),
                ('payload', fields.TextField(description='The RFC 8785 canonical JSON of what is approved.', unique=False)),
                ('payload_hash', fields.CharField(description='SHA-256 of `payload`, hex.', max_length=64)),
                ('status', fields.CharEnumField(default=ApprovalStatus.PENDING, description='PENDING: pending\nAPPROVED: approved\nDECLINED: declined\nREDEEMED: redeemed', enum_type=ApprovalStatus, max_length=16)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('decided_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('method', fields.CharEnumField(null=True, description='SMS: sms\nAUTHENTICATOR_APP: authenticator_app\nSECURITY_KEY: security_key', enum_type=MfaMethod, max_length=32)),
                ('amr', fields.CharField(null=True, max_length=64)),
                ('redeemed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('code_hmac', fields.CharField(null=True, max_length=64)),
                ('codes_sent', fields.IntField(default=0)),
                ('resend_available_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('send_claim', fields.CharField(null=True, max_length=32)),
                ('webauthn_challenge_hmac', fields.CharField(null=True, max_length=64)),
                ('failures', fields.IntField(default=0)),
            ],
            options={'table': 'transaction_approval', 'app': 'twofold', 'pk_attr': 'id', 'table_description': 'One approval: what is approved (its canonical JSON and SHA-256), who must approve it,'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='AuthSession',
            name='transaction_failures',
            field=fields.IntField(default=0, description='Wrong transactional codes in a row in this session.', db_default=0),
        ),
    ]
