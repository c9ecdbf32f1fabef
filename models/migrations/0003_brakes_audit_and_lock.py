from tortoise import migrations
from tortoise.migrations import operations as ops
from models.enums import FlowPurpose
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('twofold', '0002_totp_and_self_service')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AuditEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('event', fields.CharField(max_length=64)),
                ('outcome', fields.CharField(max_length=32)),
                ('actor', fields.ForeignKeyField('twofold.User', source_field='actor_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('subject', fields.ForeignKeyField('twofold.User', source_field='subject_id', null=True, db_constraint=True, to_field='id', related_name='audit_events', on_delete=OnDelete.SET_NULL)),
                ('ip_address', fields.CharField(default='', max_length=45)),
                ('user_agent', fields.CharField(default='', max_length=255)),
            ],
            options={'table': 'audit_event', 'app': 'twofold', 'pk_attr': 'id', 'table_description': 'Who did what to which account, when, and from where.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='LoginThrottle',
            fields=[
                ('key', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64)),
                ('failures', fields.IntField(default=0)),
                ('blocked_until', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('verifying_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'login_throttle', 'app': 'twofold', 'pk_attr': 'key', 'table_description': 'Consecutive failures, the delay they earned, and a one-at-a-time verification lease.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SendSlot',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key', fields.CharField(max_length=128)),
                ('slot', fields.IntField()),
                ('used_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('version', fields.IntField(default=0)),
            ],
            options={'table': 'send_slot', 'app': 'twofold', 'unique_together': (('key', 'slot'),), 'pk_attr': 'id', 'table_description': 'One of the N uses a quota key has per window.'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='MfaFlow',
            name='purpose',
            field=fields.CharEnumField(description='ENROLLMENT: enrollment\nLOGIN: login\nREAUTHENTICATION: reauthentication\nADD_AUTHENTICATOR_APP: add_authenticator_app\nCHANGE_PHONE_NUMBER: change_phone_number\nREGENERATE_RECOVERY_CODE: regenerate_recovery_code', enum_type=FlowPurpose, max_length=32),
        ),
        ops.AddField(
            model_name='User',
            name='second_factor_failures',
            field=fields.IntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name='User',
            name='second_factor_locked_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
